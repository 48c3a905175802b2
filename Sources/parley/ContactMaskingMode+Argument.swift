import ArgumentParser
import ParleyCore

/// `--mask-contacts before-order | always | never`; anything else is refused with the choices.
extension ContactMaskingMode: ExpressibleByArgument {}
