import Hummingbird
import ParleyCore

// End-to-end encryption's bodies go out through the request context's JSON encoder.

extension DeviceBody: ResponseEncodable {}
extension DeviceListBody: ResponseEncodable {}
extension KeySetStoredBody: ResponseEncodable {}
extension KeyListBody: ResponseEncodable {}
extension ReportBody: ResponseEncodable {}
extension ReportListBody: ResponseEncodable {}
