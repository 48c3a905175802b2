extension Device {
    /// The device a row of `e2ee_devices` holds (every column), the same for both stores.
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let userID = try columns.text("user_id", of: "e2ee_devices", row: "a device")
        let deviceID = try columns.text("device_id", of: "e2ee_devices", row: "user \(userID)")
        let row = "user \(userID), device \(deviceID)"
        self.init(
            userID: userID, deviceID: deviceID,
            signingKey: try columns.text("signing_key", of: "e2ee_devices", row: row),
            encryptionKey: try columns.text("encryption_key", of: "e2ee_devices", row: row),
            signature: try columns.text("signature", of: "e2ee_devices", row: row),
            createdAt: Timestamp(millisecondsSince1970: try columns.integer("created_at", of: "e2ee_devices", row: row)))
    }
}

extension DeliveredKey {
    /// The key a row of `e2ee_keys` seals to one device (its epoch, sender and key columns).
    public init(columns: some StoredColumns, conversationID: String, deviceID: String) throws(StoredValueError) {
        let row = "conversation \(conversationID), device \(deviceID)"
        self.init(
            epoch: try columns.integer("epoch", of: "e2ee_keys", row: row),
            senderDeviceID: try columns.text("sender_device_id", of: "e2ee_keys", row: row),
            senderID: try columns.text("sender_id", of: "e2ee_keys", row: row),
            key: try columns.text("key", of: "e2ee_keys", row: row))
    }
}

extension AbuseReport {
    /// The report a row of `e2ee_reports` holds (every column).
    public init(columns: some StoredColumns) throws(StoredValueError) {
        let id = try columns.text("id", of: "e2ee_reports", row: "a report")
        let row = "report \(id)"
        self.init(
            reportID: id,
            conversationID: try columns.text("conversation_id", of: "e2ee_reports", row: row),
            messageID: try columns.text("message_id", of: "e2ee_reports", row: row),
            senderID: try columns.text("sender_id", of: "e2ee_reports", row: row),
            reporterID: try columns.text("reporter_id", of: "e2ee_reports", row: row),
            content: try columns.text("content", of: "e2ee_reports", row: row),
            createdAt: Timestamp(millisecondsSince1970: try columns.integer("created_at", of: "e2ee_reports", row: row)))
    }
}
