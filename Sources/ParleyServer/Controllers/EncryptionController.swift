import Hummingbird
import ParleyCore
import ParleyMessaging

/// End-to-end encryption over REST: the device directory (`/api/devices/{deviceId}`,
/// `/api/users/{userId}/devices`), epoch keys (`/api/conversations/{id}/keys`), abuse
/// reports (`…/messages/{messageId}/report`, `/api/reports`). Encrypted messages
/// themselves go through `MessagesController` and `message.send`.
struct EncryptionController {
    let messaging: MessagingService

    /// Under `/api/devices`.
    var deviceEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.put(":deviceId") { request, context in
            let body = try await request.decode(as: DeviceRegistrationBody.self, context: context)
            let (device, registration) = try await messaging.registerDevice(
                Self.deviceID(context), signingKey: body.signingKey, encryptionKey: body.encryptionKey, signature: body.signature,
                by: try context.requirePrincipal())
            return EditedResponse(status: registration == .created ? .created : .ok, response: DeviceBody(device))
        }
        routes.delete(":deviceId") { _, context in
            try await messaging.retireDevice(Self.deviceID(context), by: try context.requirePrincipal())
            return HTTPResponse.Status.noContent
        }
        return routes
    }

    /// Under `/api/users`.
    var userEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get(":userId/devices") { _, context in
            let devices = try await messaging.devices(
                of: context.parameters.get("userId") ?? "", for: try context.requirePrincipal())
            return DeviceListBody(devices: devices.map(DeviceBody.init))
        }
        return routes
    }

    /// Under `/api/conversations`.
    var conversationEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.post(":conversationId/keys") { request, context in
            let body = try await request.decode(as: KeySetBody.self, context: context)
            let state = try await messaging.storeKeySet(try context.conversationID(), body: body, by: try context.requirePrincipal())
            return EditedResponse(status: .created, response: KeySetStoredBody(epoch: body.epoch, sealed: body.sealed.count, e2ee: state))
        }
        routes.get(":conversationId/keys") { request, context in
            let query = try QueryParameters(request: request)
            let keys = try await messaging.keys(
                try context.conversationID(), deviceID: try query.string("deviceId"), afterEpoch: try query.integer("afterEpoch"),
                for: try context.requirePrincipal())
            return KeyListBody(keys: keys.map(KeyListBody.Entry.init))
        }
        routes.post(":conversationId/messages/:messageId/report") { request, context in
            let body = try await request.decode(as: ReportRequestBody.self, context: context)
            let report = try await messaging.report(
                try context.conversationID(), messageID: try context.pathID("messageId", what: "message"), content: body.content,
                franking: body.franking, by: try context.requirePrincipal())
            return EditedResponse(status: .created, response: ReportBody(report))
        }
        return routes
    }

    /// Under `/api/reports`.
    var reportEndpoints: RouteCollection<ParleyRequestContext> {
        let routes = RouteCollection(context: ParleyRequestContext.self)
        routes.get { request, context in
            let limit = try QueryParameters(request: request).pageLimit(
                default: E2EELimits.defaultReportPageSize, maximum: E2EELimits.maxReportPageSize)
            let reports = try await messaging.reports(limit: limit, by: try context.requirePrincipal())
            return ReportListBody(reports: reports.map(ReportBody.init))
        }
        return routes
    }

    /// The `{deviceId}` of the path, percent-decoded (the router leaves `%7C` as it came,
    /// and a client that escapes its id, as `encodeURIComponent` does, means the decoded
    /// one: the id its envelopes carry); the service checks it as it checks every id (400
    /// naming `deviceId`).
    private static func deviceID(_ context: ParleyRequestContext) -> String {
        let raw = context.parameters.get("deviceId") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
