import ParleyAssist
import Testing

@Suite struct HumanRequestDetectorTests {
    let detector = HumanRequestDetector()

    @Test(arguments: [
        "quiero hablar con una persona", "pásame con alguien de verdad", "un humano por favor", "agente", "AGENTE!!!",
        "atención al cliente", "Quiero hablar con atención al cliente", "necesito hablar con un agente",
        "quiero que me atienda una persona", "que me llame alguien por favor", "¿eres un bot?",
        "estoy hablando con una máquina?", "no quiero hablar con un robot, quiero una persona", "quiero un humano ya",
        "ponme con tu supervisor", "hola?? hay alguien ahi?", "quisiera hablar con el encargado",
    ])
    func aSpanishRequestForAPersonIsDetected(message: String) {
        #expect(detector.asksForHuman(message))
    }

    @Test(arguments: [
        "talk to a human", "real person", "is this a bot?", "can I speak to someone", "representative", "operator please",
        "I want to speak to your supervisor", "get me a manager", "connect me with a live agent please", "I need a human",
        "can I talk to someone from customer service", "is anyone there?", "are you a robot or a real person",
        "let me speak with a real human",
    ])
    func anEnglishRequestForAPersonIsDetected(message: String) {
        #expect(detector.asksForHuman(message))
    }

    @Test(arguments: [
        "la persona que me atendió fue muy amable", "the human body size chart", "el robot de cocina llegó roto",
        "la persona de reparto dejó el paquete en el portal", "my manager said I can return it", "someone stole my package",
        "is the machine new?", "mi jefe me ha pedido que compre dos", "customer service is terrible",
        "¿cuál es el horario de atención al cliente?", "talla para persona de 1,80?", "the agent at the post office was rude",
        "soporte de móvil para coche", "¿cuándo llega?", "", "gracias!",
    ])
    func aMentionOfAPersonIsNotARequest(message: String) {
        #expect(!detector.asksForHuman(message))
    }

    @Test(arguments: ["no hace falta hablar con nadie", "no quiero hablar con una persona, solo saber la talla", "I don't need to talk to anyone"])
    func aNegatedRequestIsNotARequest(message: String) {
        #expect(!detector.asksForHuman(message))
    }
}
