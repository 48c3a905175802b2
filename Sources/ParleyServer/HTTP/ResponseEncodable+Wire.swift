import Hummingbird
import ParleyCore

// The contract's bodies go out through the request context's JSON encoder.

extension ConversationView: ResponseEncodable {}
extension ConversationListBody: ResponseEncodable {}
extension Message: ResponseEncodable {}
extension MessagePage: ResponseEncodable {}
extension ReadPositionBody: ResponseEncodable {}
extension SearchResultsBody: ResponseEncodable {}
extension ErrorBody: ResponseEncodable {}
extension MessageTemplate: ResponseEncodable {}
extension TemplateListBody: ResponseEncodable {}
extension RenderedTemplateBody: ResponseEncodable {}
extension FAQEntry: ResponseEncodable {}
extension FAQListBody: ResponseEncodable {}
extension FAQMatchResultBody: ResponseEncodable {}
extension FeedbackResultBody: ResponseEncodable {}
extension AssistSettingsBody: ResponseEncodable {}
extension SuggestionsBody: ResponseEncodable {}
extension SentimentBody: ResponseEncodable {}
extension AttachmentBody: ResponseEncodable {}
extension AttachmentLinkBody: ResponseEncodable {}
extension PushKeyBody: ResponseEncodable {}
extension PushSubscriptionCreatedBody: ResponseEncodable {}
extension PushSubscriptionListBody: ResponseEncodable {}
extension WebhookBody: ResponseEncodable {}
extension WebhookListBody: ResponseEncodable {}
extension WebhookDeliveryListBody: ResponseEncodable {}
