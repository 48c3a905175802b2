/// The OpenAPI 3 description of the REST API, served at `/openapi.json`. Kept by hand
/// beside the routes; `OperationsTests` checks that every route is in it.
enum OpenAPIDocument {
    static let json = #"""
{
 "openapi": "3.0.3",
 "info": {
  "title": "Parley",
  "version": "1.0.0",
  "description": "Real-time messaging between buyers, sellers and support. Every /api request carries `Authorization: Bearer <jwt>`. Errors are `{\"error\": {\"code\", \"message\"}}`. Real time is a WebSocket at GET /api/realtime (see the README).\n\nSizes are bytes of UTF-8, never characters (JSON Schema's maxLength counts characters, so in this document it only bounds a byte limit from above): user, conversation, product, order and client message ids 1 to 128 bytes; a label 1 to 64 bytes, at most 20 labels; subject at most 512 bytes; content 1 to 16,384 bytes (over that: 413); a request body at most 1 MiB (413); search `q` at most 16 words and 256 bytes. Every state-changing request and every search counts against one rate limit per user (by default 50 a second, bursts of 200): over it, 429 with Retry-After."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "tags": [
  {
   "name": "conversations"
  },
  {
   "name": "messages"
  },
  {
   "name": "realtime"
  },
  {
   "name": "operations"
  }
 ],
 "paths": {
  "/api/conversations": {
   "post": {
    "operationId": "createConversation",
    "summary": "Create a thread, or return the existing one (200)",
    "tags": [
     "conversations"
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/CreateConversation"
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "201": {
      "description": "Created",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     },
     "200": {
      "description": "The thread already existed; any message was posted to it",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     },
     "403": {
      "description": "A buyer or seller must include itself; only service posts system messages",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   },
   "get": {
    "operationId": "listConversations",
    "summary": "The caller's conversations, newest activity first",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "$ref": "#/components/schemas/Status"
      },
      "description": "Only this status"
     },
     {
      "name": "label",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 64,
       "pattern": "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$",
       "description": "1 to 64 bytes of UTF-8 once trimmed of whitespace, no NUL; repeats are dropped"
      },
      "description": "Only with this label"
     },
     {
      "name": "priority",
      "in": "query",
      "required": false,
      "schema": {
       "$ref": "#/components/schemas/Priority"
      },
      "description": "Only this priority"
     },
     {
      "name": "assignedTo",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128,
       "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      },
      "description": "A user id, or `none` for unassigned (1 to 128 bytes of UTF-8)"
     },
     {
      "name": "productId",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128,
       "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      },
      "description": "Only this product (1 to 128 bytes of UTF-8)"
     },
     {
      "name": "orderId",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128,
       "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      },
      "description": "Only this order (1 to 128 bytes of UTF-8)"
     },
     {
      "name": "archived",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean",
       "default": false
      },
      "description": "Archived (by the caller) instead of active"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 200,
       "default": 50
      },
      "description": "Page size (at most 200)"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 512
      },
      "description": "`nextCursor` of the previous page"
     }
    ],
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "A page",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ConversationList"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}": {
   "get": {
    "operationId": "getConversation",
    "summary": "One conversation as the caller sees it",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/messages": {
   "get": {
    "operationId": "listMessages",
    "summary": "A page of messages in ascending seq",
    "tags": [
     "messages"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 200,
       "default": 50
      },
      "description": "Page size (at most 200)"
     },
     {
      "name": "before",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "format": "int64",
       "minimum": -9223372036854775808,
       "maximum": 9223372036854775807
      },
      "description": "The messages just older than this seq"
     },
     {
      "name": "after",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "format": "int64",
       "minimum": -9223372036854775808,
       "maximum": 9223372036854775807
      },
      "description": "The messages just newer than this seq (not with before)"
     }
    ],
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "A page",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/MessagePage"
        }
       }
      }
     }
    }
   },
   "post": {
    "operationId": "sendMessage",
    "summary": "Send a message (idempotent by clientMessageId)",
    "tags": [
     "messages"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SendMessage"
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "201": {
      "description": "Stored",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Message"
        }
       }
      }
     },
     "200": {
      "description": "Same clientMessageId: the first message",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Message"
        }
       }
      }
     },
     "403": {
      "description": "Only service posts system messages",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/status": {
   "put": {
    "operationId": "setStatus",
    "summary": "Change the status",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "status"
        ],
        "properties": {
         "status": {
          "$ref": "#/components/schemas/Status"
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/labels": {
   "put": {
    "operationId": "setLabels",
    "summary": "Replace the labels",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "labels"
        ],
        "properties": {
         "labels": {
          "type": "array",
          "maxItems": 20,
          "items": {
           "type": "string",
           "minLength": 1,
           "maxLength": 64,
           "pattern": "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$",
           "description": "1 to 64 bytes of UTF-8 once trimmed of whitespace, no NUL; repeats are dropped"
          },
          "description": "At most 20 labels"
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/priority": {
   "put": {
    "operationId": "setPriority",
    "summary": "Change the priority",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "priority"
        ],
        "properties": {
         "priority": {
          "$ref": "#/components/schemas/Priority"
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/assignee": {
   "put": {
    "operationId": "setAssignee",
    "summary": "Assign to a support agent, or unassign with null (support and service only)",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "assignedTo"
        ],
        "properties": {
         "assignedTo": {
          "type": "string",
          "minLength": 1,
          "maxLength": 128,
          "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
          "description": "The agent to assign (a user seen with a support token), or null to unassign: 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)",
          "nullable": true
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     },
     "403": {
      "description": "Only support and service may change the assignee",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/archive": {
   "put": {
    "operationId": "setArchive",
    "summary": "Archive or unarchive for the caller only",
    "tags": [
     "conversations"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "archived"
        ],
        "properties": {
         "archived": {
          "type": "boolean"
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The conversation after the change",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Conversation"
        }
       }
      }
     }
    }
   }
  },
  "/api/conversations/{conversationId}/read": {
   "post": {
    "operationId": "markRead",
    "summary": "The caller has seen everything up to seq",
    "tags": [
     "messages"
    ],
    "parameters": [
     {
      "name": "conversationId",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128
      },
      "description": "A conversation id (at most 128 bytes of UTF-8; longer ids are unknown: 404)"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "seq"
        ],
        "properties": {
         "seq": {
          "type": "integer",
          "format": "int64",
          "minimum": 0,
          "maximum": 9223372036854775807,
          "description": "Read up to this seq; a seq that does not move the read position changes and announces nothing"
         }
        }
       }
      }
     }
    },
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Unknown conversation, or one the caller may not see",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "Body over 1 MiB or content over 16,384 bytes",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "The caller's read position (never moves back)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ReadPosition"
        }
       }
      }
     }
    }
   }
  },
  "/dev/users": {
   "get": {
    "operationId": "devUsers",
    "summary": "Users of the demo marketplace (only with --dev; 404 otherwise)",
    "description": "The web client's sign-in picker. A node started without --dev answers 404.",
    "tags": [
     "operations"
    ],
    "security": [],
    "responses": {
     "200": {
      "description": "The users anyone may sign in as on this --dev node",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "users"
         ],
         "properties": {
          "users": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/DemoUser"
           }
          }
         }
        }
       }
      }
     },
     "404": {
      "description": "Not a --dev node",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/dev/tokens": {
   "post": {
    "operationId": "devToken",
    "summary": "A 12-hour token for a demo user (only with --dev; 404 otherwise)",
    "tags": [
     "operations"
    ],
    "security": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "userId"
        ],
        "properties": {
         "userId": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The token, signed with the node's secret",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "token",
          "user"
         ],
         "properties": {
          "token": {
           "type": "string"
          },
          "user": {
           "$ref": "#/components/schemas/DemoUser"
          }
         }
        }
       }
      }
     },
     "400": {
      "description": "userId is not one of the demo users",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "Not a --dev node",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/health": {
   "get": {
    "operationId": "health",
    "summary": "Alive",
    "tags": [
     "operations"
    ],
    "security": [],
    "responses": {
     "200": {
      "description": "Alive",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "type": "string"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/ready": {
   "get": {
    "operationId": "ready",
    "summary": "Stores and broker answer",
    "tags": [
     "operations"
    ],
    "security": [],
    "responses": {
     "200": {
      "description": "Ready",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "503": {
      "description": "Not ready",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "operationId": "metrics",
    "summary": "Prometheus text format",
    "tags": [
     "operations"
    ],
    "security": [],
    "responses": {
     "200": {
      "description": "Metrics",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "openapi",
    "summary": "This document",
    "tags": [
     "operations"
    ],
    "security": [],
    "responses": {
     "200": {
      "description": "OpenAPI 3 document",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/api/search": {
   "get": {
    "operationId": "search",
    "summary": "Messages the caller may see that match every word of q (accents, case and Spanish/English word forms ignored; a trailing * makes a prefix)",
    "tags": [
     "messages"
    ],
    "parameters": [
     {
      "name": "q",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 256,
       "pattern": "[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]"
      },
      "description": "The words to find: every word must match, a trailing * makes a word a prefix (at least 2 letters before it); at most 16 words and 256 bytes of UTF-8, not only whitespace (else 400)"
     },
     {
      "name": "conversationId",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128,
       "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      },
      "description": "Only in this conversation (1 to 128 bytes of UTF-8)"
     },
     {
      "name": "senderId",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 128,
       "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
      },
      "description": "Only from this sender (1 to 128 bytes of UTF-8)"
     },
     {
      "name": "from",
      "in": "query",
      "required": false,
      "schema": {
       "$ref": "#/components/schemas/Time"
      },
      "description": "Sent at or after"
     },
     {
      "name": "to",
      "in": "query",
      "required": false,
      "schema": {
       "$ref": "#/components/schemas/Time"
      },
      "description": "Sent at or before"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 100,
       "default": 20
      },
      "description": "Page size (at most 100)"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 512
      },
      "description": "`nextCursor` of the previous page"
     }
    ],
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "Results, best first (ties newest first)",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SearchResults"
        }
       }
      }
     }
    }
   }
  },
  "/api/realtime/tickets": {
   "post": {
    "operationId": "createRealtimeTicket",
    "summary": "A ticket for opening GET /api/realtime?ticket=… from a browser",
    "tags": [
     "realtime"
    ],
    "responses": {
     "400": {
      "description": "Bad input: the message names the field and the reason",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "Missing, malformed, expired or wrongly signed token",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "Rate limited (per user: by default 50 a second, bursts of 200); retry after the given seconds",
      "headers": {
       "Retry-After": {
        "description": "Seconds to wait",
        "required": true,
        "schema": {
         "type": "integer",
         "minimum": 1
        }
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "200": {
      "description": "A single-use ticket, valid 60 s",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "ticket"
         ],
         "properties": {
          "ticket": {
           "type": "string"
          }
         }
        }
       }
      }
     }
    }
   }
  },
  "/api/realtime": {
   "get": {
    "operationId": "realtime",
    "summary": "WebSocket upgrade (Authorization header or ?ticket=); frames are described in docs/realtime.md",
    "tags": [
     "realtime"
    ],
    "parameters": [
     {
      "name": "ticket",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 512
      },
      "description": "A ticket from POST /api/realtime/tickets, instead of the Authorization header"
     },
     {
      "name": "cursor",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "minLength": 1,
       "maxLength": 64
      },
      "description": "Resume before any live event: every message.new after this cursor, then resumed (an extension of the contract's resume frame)"
     }
    ],
    "responses": {
     "101": {
      "description": "Switching protocols to WebSocket"
     },
     "401": {
      "description": "No valid token or ticket",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "Origin not allowed",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "400": {
      "description": "Not a WebSocket upgrade request, or a cursor this server did not give out",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT"
   }
  },
  "schemas": {
   "Status": {
    "type": "string",
    "enum": [
     "open",
     "pending",
     "closed"
    ]
   },
   "Priority": {
    "type": "string",
    "enum": [
     "low",
     "medium",
     "high"
    ]
   },
   "MessageType": {
    "type": "string",
    "enum": [
     "text",
     "image",
     "file",
     "system"
    ]
   },
   "Role": {
    "type": "string",
    "enum": [
     "buyer",
     "seller",
     "support"
    ]
   },
   "Time": {
    "type": "string",
    "format": "date-time",
    "example": "2026-11-24T10:15:30.123Z"
   },
   "Participant": {
    "type": "object",
    "required": [
     "userId",
     "role",
     "lastSeen"
    ],
    "properties": {
     "userId": {
      "type": "string"
     },
     "role": {
      "$ref": "#/components/schemas/Role"
     },
     "lastSeen": {
      "allOf": [
       {
        "$ref": "#/components/schemas/Time"
       }
      ],
      "nullable": true,
      "description": "When the participant last read the conversation"
     }
    }
   },
   "Message": {
    "type": "object",
    "required": [
     "messageId",
     "conversationId",
     "seq",
     "senderId",
     "content",
     "timestamp",
     "readBy",
     "type"
    ],
    "properties": {
     "messageId": {
      "type": "string"
     },
     "conversationId": {
      "type": "string"
     },
     "seq": {
      "type": "integer",
      "minimum": 1
     },
     "senderId": {
      "type": "string"
     },
     "content": {
      "type": "string"
     },
     "timestamp": {
      "$ref": "#/components/schemas/Time"
     },
     "readBy": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "type": {
      "$ref": "#/components/schemas/MessageType"
     },
     "clientMessageId": {
      "type": "string"
     }
    }
   },
   "Conversation": {
    "type": "object",
    "required": [
     "conversationId",
     "participants",
     "productId",
     "orderId",
     "subject",
     "status",
     "metadata",
     "createdAt",
     "lastMessage",
     "unreadCount",
     "archived"
    ],
    "properties": {
     "conversationId": {
      "type": "string"
     },
     "participants": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Participant"
      }
     },
     "productId": {
      "type": "string",
      "nullable": true
     },
     "orderId": {
      "type": "string",
      "nullable": true
     },
     "subject": {
      "type": "string",
      "nullable": true
     },
     "status": {
      "$ref": "#/components/schemas/Status"
     },
     "metadata": {
      "type": "object",
      "required": [
       "labels",
       "priority",
       "assignedTo"
      ],
      "properties": {
       "labels": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "priority": {
        "$ref": "#/components/schemas/Priority"
       },
       "assignedTo": {
        "type": "string",
        "nullable": true
       }
      }
     },
     "createdAt": {
      "$ref": "#/components/schemas/Time"
     },
     "lastMessage": {
      "allOf": [
       {
        "$ref": "#/components/schemas/Message"
       }
      ],
      "nullable": true
     },
     "unreadCount": {
      "type": "integer",
      "minimum": 0
     },
     "archived": {
      "type": "boolean"
     },
     "lastActivityAt": {
      "$ref": "#/components/schemas/Time"
     },
     "lastSeq": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "ConversationList": {
    "type": "object",
    "required": [
     "conversations",
     "nextCursor"
    ],
    "properties": {
     "conversations": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Conversation"
      }
     },
     "nextCursor": {
      "type": "string",
      "nullable": true
     }
    }
   },
   "MessagePage": {
    "type": "object",
    "required": [
     "messages",
     "hasMore"
    ],
    "properties": {
     "messages": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Message"
      }
     },
     "hasMore": {
      "type": "boolean"
     }
    }
   },
   "CreateConversation": {
    "type": "object",
    "required": [
     "participants"
    ],
    "properties": {
     "participants": {
      "type": "array",
      "minItems": 2,
      "maxItems": 20,
      "items": {
       "type": "object",
       "required": [
        "userId",
        "role"
       ],
       "properties": {
        "userId": {
         "type": "string",
         "minLength": 1,
         "maxLength": 128,
         "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
         "description": "A user id (the token's sub): 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)"
        },
        "role": {
         "$ref": "#/components/schemas/Role"
        }
       }
      }
     },
     "productId": {
      "type": "string",
      "minLength": 1,
      "maxLength": 128,
      "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
      "description": "Product id: 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)",
      "nullable": true
     },
     "orderId": {
      "type": "string",
      "minLength": 1,
      "maxLength": 128,
      "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
      "description": "Order id: 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)",
      "nullable": true
     },
     "subject": {
      "type": "string",
      "maxLength": 512,
      "pattern": "^[^\\u0000]*$",
      "description": "At most 512 bytes of UTF-8, no NUL; maxLength counts characters, so it only bounds the byte limit from above",
      "nullable": true
     },
     "labels": {
      "type": "array",
      "maxItems": 20,
      "items": {
       "type": "string",
       "minLength": 1,
       "maxLength": 64,
       "pattern": "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$",
       "description": "1 to 64 bytes of UTF-8 once trimmed of whitespace, no NUL; repeats are dropped"
      },
      "description": "At most 20 labels",
      "nullable": true
     },
     "priority": {
      "allOf": [
       {
        "$ref": "#/components/schemas/Priority"
       }
      ],
      "nullable": true
     },
     "message": {
      "type": "object",
      "required": [
       "content"
      ],
      "properties": {
       "content": {
        "type": "string",
        "minLength": 1,
        "maxLength": 16384,
        "pattern": "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$",
        "description": "1 to 16,384 bytes of UTF-8 (over that: 413), not only whitespace, no NUL (else 400); maxLength counts characters, so it only bounds the byte limit from above"
       },
       "type": {
        "allOf": [
         {
          "$ref": "#/components/schemas/MessageType"
         }
        ],
        "nullable": true
       },
       "clientMessageId": {
        "type": "string",
        "minLength": 1,
        "maxLength": 128,
        "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
        "description": "Client message id, unique per conversation and sender: 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)",
        "nullable": true
       }
      },
      "nullable": true
     }
    }
   },
   "SendMessage": {
    "type": "object",
    "required": [
     "content"
    ],
    "properties": {
     "content": {
      "type": "string",
      "minLength": 1,
      "maxLength": 16384,
      "pattern": "^[^\\u0000]*[^\\u0000\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$",
      "description": "1 to 16,384 bytes of UTF-8 (over that: 413), not only whitespace, no NUL (else 400); maxLength counts characters, so it only bounds the byte limit from above"
     },
     "type": {
      "allOf": [
       {
        "$ref": "#/components/schemas/MessageType"
       }
      ],
      "nullable": true
     },
     "clientMessageId": {
      "type": "string",
      "minLength": 1,
      "maxLength": 128,
      "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$",
      "description": "Client message id, unique per conversation and sender: 1 to 128 bytes of UTF-8, no control characters (maxLength counts characters, so it only bounds the byte limit from above)",
      "nullable": true
     }
    }
   },
   "ReadPosition": {
    "type": "object",
    "required": [
     "conversationId",
     "userId",
     "seq"
    ],
    "properties": {
     "conversationId": {
      "type": "string"
     },
     "userId": {
      "type": "string"
     },
     "seq": {
      "type": "integer"
     }
    }
   },
   "DemoUser": {
    "type": "object",
    "required": [
     "userId",
     "name",
     "role"
    ],
    "properties": {
     "userId": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "role": {
      "type": "string",
      "enum": [
       "buyer",
       "seller",
       "support",
       "service"
      ]
     }
    }
   },
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       }
      }
     }
    }
   },
   "SearchResults": {
    "type": "object",
    "required": [
     "results",
     "nextCursor"
    ],
    "properties": {
     "results": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "message",
        "conversationId",
        "snippet"
       ],
       "properties": {
        "message": {
         "$ref": "#/components/schemas/Message"
        },
        "conversationId": {
         "type": "string"
        },
        "snippet": {
         "type": "string",
         "description": "Text around the first match; matches in <mark>…</mark>, the rest HTML-escaped"
        }
       }
      }
     },
     "nextCursor": {
      "type": "string",
      "nullable": true
     }
    }
   }
  }
 }
}
"""#
}
