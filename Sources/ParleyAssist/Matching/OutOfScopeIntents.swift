import Foundation

/// What buyers ask that a marketplace FAQ does not answer by itself, whatever the shop:
/// haggling and discounts, changing an order already placed (its address, its payment),
/// a double charge, a greeting or thanks alone, one order's own problem, asking for a
/// person, complaints, and details of one product. Each is written in Spanish and English.
///
/// They are not entries: nothing ever answers with them. They are what a message is
/// compared with to tell a near miss ("quiero cambiar la dirección de envío" is close to
/// the shipping entries) from a paraphrase. A message much closer to one of them than to
/// its best entry lowers the matcher's confidence (`FAQMatchFeatures.outOfScopeLead`);
/// a seller's own entry on the same subject (a discounts entry, say) still wins, because
/// it is then at least as close as the intent.
public enum OutOfScopeIntents {
    public static let phrases: [String] = [
        // Discounts and haggling.
        "¿Me hacéis un descuento?", "¿Tenéis algún código de descuento?", "¿Me lo dejas más barato?",
        "Can I get a discount?", "Do you have a promo code?", "Can you lower the price?",
        // Changing an order already placed.
        "Quiero cambiar la dirección de envío de mi pedido", "¿Puedo cambiar algo de un pedido que ya he hecho?",
        "I need to change the delivery address of my order", "Can I change my order after placing it?",
        // Charged twice, a payment gone wrong.
        "Me habéis cobrado dos veces", "Me han cobrado de más", "I was charged twice", "You charged me the wrong amount",
        // Greetings and thanks alone.
        "Hola, buenas tardes", "Muchas gracias", "Hi there", "Thank you so much",
        // One order's own problem.
        "Mi pedido no ha llegado todavía, ¿qué pasa?", "Pone entregado pero no tengo el paquete",
        "My order still hasn't arrived", "It says delivered but I never got the package",
        // A person.
        "Quiero hablar con una persona", "I want to talk to a real person",
        // Complaints.
        "Estoy muy descontento, quiero poner una queja", "This is terrible service, I want to complain",
        // One product's details.
        "¿Lo tenéis en otro color?", "Do you have this in another colour?",
    ]
}
