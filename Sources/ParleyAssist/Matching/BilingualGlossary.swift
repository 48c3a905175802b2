import ParleyCore

/// Spanish and English words a shop's FAQ and its buyers use for the same thing, grouped
/// into concepts, so that lexical matching sees "do you ship to France" share words with
/// "¿Enviáis a Francia?". Each concept becomes one more form of every word in it
/// (`AnalyzedText.forms(of:)`), on the entry's side and the message's alike, so BM25
/// counts a concept like any other term: it is rarer than a common word when few entries
/// share it, and worth little when many do.
///
/// A word belongs to a concept through its stem in its own language: a Spanish word
/// through its Spanish stem, an English one through its English stem, so inflections
/// ("envíos", "enviado", "shipping", "shipped") join without being listed. Words that
/// mean something else in the other language ("red", "once", "sin") are left out.
/// Written for the marketplace's vocabulary (orders, delivery, returns, payment, sizes,
/// devices, accounts), not for any one FAQ.
enum BilingualGlossary {
    /// The concept forms of a folded word (e.g. `~envio`), usually none.
    static func concepts(of word: String) -> [String] {
        var found: [String] = []
        if let concepts = table.spanish[SpanishStemmer.stem(word)] { found.append(contentsOf: concepts) }
        if let concepts = table.english[EnglishStemmer.stem(word)] {
            for concept in concepts where !found.contains(concept) { found.append(concept) }
        }
        return found
    }

    private struct Table {
        var spanish: [String: [String]] = [:]
        var english: [String: [String]] = [:]
    }

    private static let table: Table = {
        var table = Table()
        for line in groups.split(separator: "\n") {
            let sides = line.split(separator: "/", omittingEmptySubsequences: false)
            guard sides.count == 2 else { continue }
            let spanish = TextAnalyzer.words(String(sides[0]))
            let english = TextAnalyzer.words(String(sides[1]))
            guard let name = spanish.first ?? english.first else { continue }
            let concept = "~" + name
            for word in spanish {
                let stem = SpanishStemmer.stem(word)
                if !(table.spanish[stem]?.contains(concept) ?? false) { table.spanish[stem, default: []].append(concept) }
            }
            for word in english {
                let stem = EnglishStemmer.stem(word)
                if !(table.english[stem]?.contains(concept) ?? false) { table.english[stem, default: []].append(concept) }
            }
        }
        return table
    }()

    /// One concept per line: Spanish words / English words.
    private static let groups = """
        envío enviar envían enviáis mandar mandáis despachar entrega entregar entregáis reparto repartir / ship shipping shipment send sent dispatch deliver delivery
        mensajería mensajero transportista agencia / courier carrier
        llegar llega llegada recibir recibo / arrive arrival receive get got
        tardar tarda tardan demora plazo / long take takes
        retraso retrasado atrasado tarde / late delayed delay
        día días diario laborable laborables / day days daily working business
        semana semanas / week weeks
        mes meses mensual / month months monthly
        año años anual / year years yearly
        hora horas horario / hour hours schedule opening
        fin finde / weekend
        festivo festivos vacaciones / holiday holidays
        cuándo / when
        dónde / where
        cómo / how
        cuánto cuánta cuántos cuántas / much many
        coste costar cuesta cuestan precio precios valor / cost costs price prices charge fee
        gasto gastos portes / expenses fees charges postage
        gratis gratuito gratuita gratuitos / free
        caro barato / expensive cheap
        dinero importe pasta / money amount
        devolución devoluciones devolver devuelvo / return returns
        reembolso reembolsar abonar abono / refund refunds reimburse
        cambio cambiar cambios / exchange exchanges swap change
        talla tallas tallaje / size sizes sizing
        tamaño tamaños / size dimensions
        medida medidas medir / measurement measurements measure
        guía tabla / guide chart table
        grande grandes / large big
        pequeño pequeña pequeños / small little
        ancho estrecho / wide narrow tight loose
        color colores / color colours colour colors
        pago pagos pagar pagáis / pay paid payment payments paying
        tarjeta tarjetas / card cards
        crédito débito / credit debit
        transferencia bancaria banco / transfer bank wire
        efectivo contrareembolso / cash
        plazos fraccionar financiación financiar cuotas aplazar / installments instalments financing finance monthly
        factura facturas facturación / invoice invoices billing bill
        recibo ticket justificante / receipt receipts
        empresa empresas autónomo negocio / company business companies freelancer
        iva impuesto impuestos / vat tax taxes
        aduana aduanas arancel / customs duties duty
        seguimiento rastrear localizar / tracking track trace
        número código / number code
        pedido pedidos encargo pedir pido pides piden / order orders ordered
        paquete paquetes bulto caja / package parcel box packages parcels
        producto productos artículo artículos / product products item items article
        compra compras comprar compré / purchase purchases buy bought shopping
        vender venta ventas vendedor vendedora / sell sale sales seller vendor
        comprador compradora cliente clientes / buyer customer customers client
        tienda tiendas local establecimiento / shop store stores shops
        física presencial / physical
        recoger recogida / pickup collect collection pick
        dirección domicilio / address
        ciudad / city town
        país países extranjero internacional internacionales fuera francia portugal italia alemania reino unido inglaterra irlanda bélgica holanda países bajos suiza austria andorra grecia polonia suecia dinamarca noruega europa estados unidos méxico canadá argentina chile colombia perú marruecos / country countries abroad international overseas outside france portugal italy germany uk britain england ireland belgium holland netherlands switzerland austria andorra greece poland sweden denmark norway europe usa america mexico canada argentina chile colombia peru morocco
        españa / spain
        península peninsular / mainland peninsula
        francia / france
        portugal / portugal
        italia / italy
        alemania / germany
        reino unido inglaterra / uk britain england
        europa europea europeo ue / europe european eu
        canarias / canary canaries
        baleares mallorca / balearic balearics mallorca majorca
        estados unidos / usa america
        méxico / mexico
        suiza / switzerland
        irlanda / ireland
        bélgica / belgium
        holanda países bajos / holland netherlands dutch
        garantía garantías / warranty guarantee warranties
        roto rota rotos romper agrietado agrietada / broken break broke cracked crack
        dañado dañada dañados daño golpe golpeado / damaged damage dent
        defectuoso defectuosa defecto fallo falla / defective faulty fault defect
        funciona funcionar funcionando enciende encender arranca / work works working function boot
        reparar reparación arreglar / repair fix
        reemplazar sustituir sustitución reposición / replace replacement
        cancelar cancelación anular anulación / cancel cancellation
        modificar modificación editar / modify edit amend
        stock existencias disponible disponibles disponibilidad agotado agotada / stock available availability unavailable sold
        reponer / restock restocking replenish
        nuevo nueva nuevos / new
        usado usada segunda mano / used second hand
        reacondicionado reacondicionados renovado / refurbished renewed
        estado condición / condition state grade status
        grado grados / grade grades
        arañazo arañazos rayado rayada rayón / scratch scratches scratched
        batería baterías / battery batteries
        pantalla / screen display
        funda fundas carcasa / case cover
        cargador cargadores carga cargar / charger chargers charge charging
        cable cables / cable cables cord
        enchufe adaptador / plug adapter adaptor
        compatible compatibles compatibilidad sirve / compatible compatibility fit fits
        móvil móviles teléfono smartphone / phone phones mobile smartphone cellphone
        libre liberado liberados / unlocked locked
        operador operadora compañía / carrier operator network
        teclado teclados / keyboard keyboards
        tecla teclas / key keys
        idioma español / language spanish
        inglés / english
        portátil portátiles ordenador / laptop laptops computer notebook
        tela tejido tejidos material materiales / fabric fabrics material materials cloth
        algodón / cotton
        lana / wool
        lavar lavado lavadora lava / wash washing washable
        secadora / dryer tumble
        planchar plancha / iron ironing
        encoger encoge / shrink shrinks
        ropa prenda prendas / clothes clothing garment garments
        zapato zapatos zapatilla zapatillas calzado / shoe shoes sneakers trainers footwear
        camisa camiseta / shirt tshirt
        vestido vestidos / dress dresses
        pantalón pantalones vaqueros / trousers pants jeans
        chaqueta abrigo / jacket coat
        regalo regalar / gift present
        envolver envoltorio / wrap wrapping
        mensaje dedicatoria nota / message note
        descuento descuentos rebaja rebajas oferta ofertas cupón / discount discounts sale offer coupon promo
        protección proteger protegido / protection protect protected
        seguro segura seguridad / safe secure security insurance
        estafa fraude / scam fraud
        retener retenido retención custodia / hold held escrow
        liberar libera / release released
        soporte atención asistencia ayuda / support help assistance service
        contactar contacto hablar / contact talk speak reach
        persona humano agente / person human agent
        teléfono llamar / phone call telephone
        correo email mail / email mail
        opinión opiniones reseña reseñas valoración valorar valoraciones / review reviews rating ratings rate feedback
        estrellas / stars
        contraseña clave / password
        olvidar olvidé olvidado / forget forgot forgotten
        restablecer recuperar / reset recover
        cuenta cuentas perfil / account accounts profile
        datos / details data information info
        borrar eliminar baja / delete remove close
        nombre / name
        iniciar sesión entrar acceder / login signin sign access
        registrar registro registrarse / register registration signup
        equivocado equivocada incorrecto incorrecta erróneo / wrong incorrect mistaken
        perdido perdida perder / lost missing
        urgente exprés rápido rápida / express urgent fast quick
        mismo misma / same
        cobrar cobro cobrado / charge charged billed
        anuncio anuncios publicación / listing listings ad ads advert
        foto fotos imagen imágenes / photo photos picture pictures image images
        descripción describe descrito / description described describe
        original auténtico auténtica falso falsa imitación / original authentic genuine fake counterfeit replica
        marca marcas / brand brands
        modelo modelos / model models
        versión versiones / version versions
        accesorio accesorios / accessory accessories
        instrucciones manual / instructions manual
        montaje montar instalar instalación / assembly assemble install installation
        mueble muebles / furniture
        libro libros / book books
        cosmética crema maquillaje / cosmetics cream makeup
        caducidad caduca caducado / expiry expiration expires expired
        ingrediente ingredientes / ingredient ingredients
        alergia alérgico / allergy allergic
        peso pesa kilos / weight weighs kilos
        altura alto / height tall
        largo longitud / length
        negociar negociable regatear / negotiate negotiable haggle
        reservar reserva apartar / reserve reservation
        puja pujar subasta / bid bidding auction
        bloquear bloqueado bloqueada / block blocked
        suspender suspendida suspendido / suspend suspended banned
        verificar verificación verificado verificada / verify verification verified
        identidad dni documento pasaporte / identity id document passport
        notificación notificaciones aviso avisos / notification notifications alert alerts
        suscripción suscribirse boletín / subscription subscribe newsletter
        moneda divisa euros dólares / currency euros dollars
        comisión comisiones recargo tarifa / commission surcharge fee rate
        taquilla consigna / locker
        correos postal / post postal
        embalaje embalado embalar / packaging packed packing
        precinto precintado sellado / sealed seal
        presupuesto / quote estimate
        mayorista / wholesale bulk
        cantidad unidades / quantity units
        niño niños bebé infantil / child children kids baby
        juguete juguetes / toy toys
        bicicleta bici / bike bicycle
        impresora / printer
        tableta / tablet
        auriculares cascos / headphones earphones earbuds
        cámara / camera
        consola / console
        televisor tele televisión / tv television
        memoria almacenamiento / memory storage
        actualización actualizar / update upgrade
        aplicación app programa / application app software
        queja quejas reclamación reclamar / complaint complain claim
        disputa mediación / dispute mediation
        incidencia problema problemas / issue problem problems
        respuesta responder contestar contestan / answer reply respond response
        hoy / today
        ayer / yesterday
        lunes / monday
        martes / tuesday
        miércoles / wednesday
        jueves / thursday
        viernes / friday
        sábado / saturday
        domingo / sunday
        abrir abierto abierta / open opened
        cerrar cerrado cerrada / closed shut
        """
}
