# Makes the image fixtures of ParleyMediaTests once (Pillow 13.0.0); the outputs are
# committed, so the tests do not need Pillow. Run from this folder: python3 make-fixtures.py
import io
from PIL import Image, ImageCms, PngImagePlugin

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="ParleyTestPhone"/></rdf:RDF></x:xmpmeta>'


def quadrants(width, height, mode="RGB"):
    """Top-left red, top-right green, bottom-left blue, bottom-right white."""
    image = Image.new(mode, (width, height))
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]
    for index, (left, top) in enumerate([(0, 0), (width // 2, 0), (0, height // 2), (width // 2, height // 2)]):
        image.paste(colours[index], (left, top, left + width // 2, top + height // 2))
    return image


def phone_exif(orientation):
    exif = Image.Exif()
    exif[0x010F] = "ParleyTestPhone"  # Make
    exif[0x0112] = orientation
    gps = {1: "N", 2: (40.0, 25.0, 1.5), 3: "W", 4: (3.0, 42.0, 7.25), 0x12: "WGS-84"}
    exif[0x8825] = gps
    return exif.tobytes()


def with_iptc_comment_and_trailer(jpeg):
    """Inserts an APP13 Photoshop/IPTC segment and a comment after SOI, and appends a
    second image after EOI (as MPF does), carrying EXIF of its own."""
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x78\x00\x07Madrid!"
    app13 = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
    comment = b"ParleyTestPhone comment"
    com = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    trailer = b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xd9"
    return jpeg[:2] + app13 + com + jpeg[2:] + trailer


def save_jpeg(image, name, orientation, icc=None):
    buffer = io.BytesIO()
    options = {"quality": 95, "exif": phone_exif(orientation), "xmp": XMP}
    if icc is not None:
        options["icc_profile"] = icc
    image.save(buffer, "JPEG", **options)
    open(name, "wb").write(with_iptc_comment_and_trailer(buffer.getvalue()))


srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
save_jpeg(quadrants(64, 48), "phone-rotated.jpg", 6)
save_jpeg(quadrants(64, 48), "phone-upright.jpg", 1, icc=srgb)
save_jpeg(quadrants(32, 16).convert("CMYK"), "cmyk-rotated.jpg", 8)

# PNG with transparency (left half clear, right half opaque red) and every text chunk.
alpha = Image.new("RGBA", (40, 30), (0, 0, 0, 0))
alpha.paste((255, 0, 0, 255), (20, 0, 40, 30))
info = PngImagePlugin.PngInfo()
info.add_text("Comment", "ParleyTestPhone tEXt")
info.add_text("Author", "ParleyTestPhone zTXt", zip=True)
info.add_itxt("XML:com.adobe.xmp", XMP.decode())
alpha.save("alpha.png", pnginfo=info, exif=phone_exif(1))

# Animated GIF: a red-over-blue frame then a
# green one, with a comment and an XMP application extension.
first = Image.new("RGB", (30, 20), (255, 0, 0))
first.paste((0, 0, 255), (0, 10, 30, 20))
frames = [first, Image.new("RGB", (30, 20), (0, 255, 0))]
buffer = io.BytesIO()
frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=b"ParleyTestPhone comment")
gif = buffer.getvalue()
screen_end = 13 + (3 << ((gif[10] & 7) + 1) if gif[10] & 0x80 else 0)
xmp_blocks = b"".join(bytes([len(XMP[i:i + 255])]) + XMP[i:i + 255] for i in range(0, len(XMP), 255))
application = b"\x21\xff\x0bXMP DataXMP" + xmp_blocks + b"\x00"
open("animated.gif", "wb").write(gif[:screen_end] + application + gif[screen_end:])

# WebP (VP8X) with EXIF and XMP chunks.
quadrants(40, 30).save("meta.webp", "WEBP", quality=90, exif=phone_exif(1), xmp=XMP)

# A still, interlaced GIF: top half red, bottom half blue, with transparent corners.
still = Image.new("P", (32, 32), 1)
still.putpalette([0, 0, 0, 255, 0, 0, 0, 0, 255])
still.paste(2, (0, 16, 32, 32))
still.paste(0, (0, 0, 4, 4))
still.save("interlaced.gif", interlace=True, transparency=0)

# An opaque PNG whose eXIf says orientation 6.
quadrants(40, 30).save("rotated.png", exif=phone_exif(6))

# The lossless turn (JPEGLosslessTurnTests): quadrants with a black diagonal from the
# top-left corner, so that every turn and mirror looks different, in each sampling.
def turn_pattern(width, height):
    image = quadrants(width, height)
    for x in range(min(width, height)):
        image.putpixel((x, x), (0, 0, 0))
    return image


turn_pattern(48, 32).save("turn-420.jpg", quality=90, subsampling=2)
turn_pattern(48, 32).save("turn-444.jpg", quality=90, subsampling=0)
# 4:2:2 at 40x24: iMCUs of 16x8, so only the height (24) is whole and mirrors exactly.
turn_pattern(40, 24).save("turn-422.jpg", quality=90, subsampling=1)
turn_pattern(48, 32).save("turn-progressive-icc.jpg", quality=90, subsampling=2, progressive=True, icc_profile=srgb)
turn_pattern(40, 24).convert("L").save("turn-grey.jpg", quality=90)
