/// The SQL that reads conversations with their participants (user, role, last seen) as
/// JSON in `people`, in participant order: for the prepared lookups by id and for inbox
/// pages (`id = ANY(…)`).
enum ConversationSelect {
    static let columns = """
        SELECT c.id, c.product_id, c.order_id, c.subject, c.status, c.labels::text AS labels, c.priority, c.assigned_to,
               c.created_at, c.last_activity_at, c.last_seq, c.escalation, c.ticket, c.encryption,
               (SELECT coalesce(json_agg(json_build_array(p.user_id, p.role, s.last_seen) ORDER BY p.position), '[]')::text
                FROM participants p
                LEFT JOIN user_states s ON s.conversation_id = p.conversation_id AND s.user_id = p.user_id
                WHERE p.conversation_id = c.id) AS people
        FROM conversations c
        """

    static let byID = columns + " WHERE c.id = $1"
}
