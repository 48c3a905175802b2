import ArgumentParser
import Foundation
import Logging
import ParleyCore
import ParleySQLite
import ServiceLifecycle

/// Realistic marketplace chatter in Spanish and English, from templates.
enum MarketplaceText {
    static let spanish = [
        "¿Cuándo llega el envío de mi pedido %@?", "Los envíos salen los lunes y jueves", "Ya está enviado, llega mañana",
        "¿Tienen la talla %@ en azul?", "Quiero hacer una devolución del pedido %@", "Necesito la factura, por favor",
        "El paquete llegó roto, ¿qué hago?", "¿Hacen envíos a Canarias?", "Gracias, todo perfecto 🙂",
        "¿Puedo cambiar la dirección de envío?", "El producto no coincide con la descripción", "¿Cuánto tarda el reembolso?",
    ]
    static let english = [
        "When will my order %@ be shipped?", "We are shipping it today 📦", "Can I get a refund for order %@?",
        "The package arrived damaged", "Do you have size %@ in stock?", "My delivery is late, any update?",
        "Thanks, the item was delivered yesterday", "I ordered the wrong color, can I return it?",
    ]

    static func sentence(using generator: inout SeededGenerator) -> String {
        let pool = Int.random(in: 0..<3, using: &generator) == 0 ? english : spanish
        let template = pool[Int.random(in: 0..<pool.count, using: &generator)]
        let detail = String(Int.random(in: 1000..<99_999, using: &generator))
        return template.replacingOccurrences(of: "%@", with: detail)
    }
}
