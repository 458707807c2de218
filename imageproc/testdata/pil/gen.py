#!/usr/bin/python3
"""Generates the PIL parity fixtures in this directory.

Run with Debian bookworm's python3-pil (Pillow 9.4.0, the version the oracle's
SiglipImageProcessor used) and python3-numpy:

    apt-get install python3-pil python3-numpy && /usr/bin/python3 gen.py

Each "decode" entry is an image file plus what PIL gives for
Image.open(f).convert("RGB") (raw uint8 HWC). Each "resize" entry is a source
RGB buffer plus PIL's Image.resize((w, h), Image.BICUBIC) output. The files
cover modes the oracle's preprocess/ set does not: alpha over hidden colours,
palettes, 1/2/4/16-bit samples, tRNS chunks, JPEG chroma layouts, grayscale,
progressive and CMYK JPEG, and resizes that only go one way, to 1 pixel, or up.
"""
import json, struct, zlib
import numpy as np
import PIL
from PIL import Image

rng = np.random.default_rng(20240611)
W, H = 23, 17  # odd sizes exercise the chroma edge cases
out = {"generator": "gen.py", "pil_version": PIL.__version__, "decode": [], "resize": []}


def pattern(w, h, c):
    """Gradients, a hard edge and noise, so filters and rounding matter."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.zeros((h, w, c), np.uint8)
    for k in range(c):
        g = (x * (37 + 11 * k) + y * (23 - 5 * k)) % 256
        g = np.where((x + 2 * k) > w // 2, 255 - g, g)
        a[..., k] = np.clip(g + rng.integers(-20, 21, (h, w)), 0, 255)
    return a


def raw_png(name, w, h, bitdepth, colortype, rows, extra=b""):
    """Minimal PNG writer for layouts PIL cannot save (16-bit RGB, tRNS on
    gray/RGB, 2-bit gray). rows: list of bytes per scanline, filter 0."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", w, h, bitdepth, colortype, 0, 0, 0)
    idat = zlib.compress(b"".join(b"\x00" + r for r in rows))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    open(name, "wb").write(data)


def add_decode(name, note):
    im = Image.open(name)
    mode = im.mode
    rgb = np.asarray(im.convert("RGB"))
    base = name.rsplit(".", 1)[0]
    rgb.tofile(base + ".rgb.u8")
    out["decode"].append({"image": name, "pil_mode": mode, "width": im.size[0], "height": im.size[1],
                          "format": im.format, "rgb": base + ".rgb.u8", "note": note})


# RGBA: fully transparent pixels hide colours; convert("RGB") must keep them.
a = pattern(W, H, 4)
a[..., 3] = np.where(rng.random((H, W)) < 0.4, 0, a[..., 3])
Image.fromarray(a, "RGBA").save("rgba8.png")
add_decode("rgba8.png", "RGBA 8-bit, 40% alpha=0 over non-white colours")

la = pattern(W, H, 2)
la[..., 1] = np.where(rng.random((H, W)) < 0.5, 0, la[..., 1])
Image.fromarray(la, "LA").save("la8.png")
add_decode("la8.png", "gray+alpha 8-bit")

pal = Image.fromarray(pattern(W, H, 3), "RGB").quantize(colors=40)
pal.save("p8.png")
add_decode("p8.png", "palette, 40 colours")
pal.save("p8_trns.png", transparency=bytes(range(0, 240, 6)))
add_decode("p8_trns.png", "palette with a tRNS alpha table")
Image.fromarray(pattern(W, H, 3), "RGB").quantize(colors=12).save("p4.png", bits=4)
add_decode("p4.png", "palette, 4 bits per index")

Image.fromarray(pattern(W, H, 1)[..., 0] > 128).save("l1.png")
add_decode("l1.png", "1-bit grayscale")

g16 = (pattern(W, H, 1)[..., 0].astype(np.uint16) * 3) - 100
g16 = np.where(g16 > 60000, 0, g16).astype(np.uint16)  # values both below and above 255
Image.fromarray(g16).save("l16.png")
add_decode("l16.png", "16-bit grayscale: PIL opens as mode I and clips to 255")

rgb16 = pattern(W, H, 3).astype(np.uint16) * 257 + rng.integers(0, 256, (H, W, 3)).astype(np.uint16)
raw_png("rgb16.png", W, H, 16, 2, [rgb16[y].astype(">u2").tobytes() for y in range(H)])
add_decode("rgb16.png", "16-bit RGB: high byte")
rgba16 = np.concatenate([rgb16, (rng.integers(0, 2, (H, W, 1)) * 65535).astype(np.uint16)], axis=2)
raw_png("rgba16.png", W, H, 16, 6, [rgba16[y].astype(">u2").tobytes() for y in range(H)])
add_decode("rgba16.png", "16-bit RGBA with alpha 0 pixels: high byte")

g8 = pattern(W, H, 1)[..., 0]
key = int(g8[3, 4])
raw_png("l8_trns.png", W, H, 8, 0, [g8[y].tobytes() for y in range(H)],
        extra=b"\x00\x00\x00\x02tRNS" + struct.pack(">H", key) +
        struct.pack(">I", zlib.crc32(b"tRNS" + struct.pack(">H", key)) & 0xffffffff))
add_decode("l8_trns.png", "8-bit gray with a tRNS colour key")

rgb8 = pattern(W, H, 3)
k = rgb8[5, 6].astype(">u2").tobytes()
raw_png("rgb8_trns.png", W, H, 8, 2, [rgb8[y].tobytes() for y in range(H)],
        extra=struct.pack(">I", 6) + b"tRNS" + k + struct.pack(">I", zlib.crc32(b"tRNS" + k) & 0xffffffff))
add_decode("rgb8_trns.png", "8-bit RGB with a tRNS colour key")

g2 = (pattern(W, H, 1)[..., 0] >> 6).astype(np.uint8)
rows = []
for y in range(H):
    bits = 0; n = 0; b = bytearray()
    for x in range(W):
        bits = (bits << 2) | int(g2[y, x]); n += 2
        if n == 8:
            b.append(bits); bits = 0; n = 0
    if n:
        b.append(bits << (8 - n))
    rows.append(bytes(b))
raw_png("l2.png", W, H, 2, 0, rows)
add_decode("l2.png", "2-bit grayscale")

src = Image.fromarray(pattern(W, H, 3), "RGB")
for sub, tag in [(0, "444"), (1, "422"), (2, "420")]:
    src.save(f"jpeg{tag}.jpg", quality=85, subsampling=sub)
    add_decode(f"jpeg{tag}.jpg", f"JPEG 4:{tag[1]}:{tag[2]} chroma, odd size")
src.save("jpeg420p.jpg", quality=85, subsampling=2, progressive=True)
add_decode("jpeg420p.jpg", "progressive JPEG 4:2:0")
Image.fromarray(g8, "L").save("jpeggray.jpg", quality=85)
add_decode("jpeggray.jpg", "grayscale JPEG")
Image.fromarray(pattern(W, H, 4), "CMYK").save("jpegcmyk.jpg", quality=90)
add_decode("jpegcmyk.jpg", "CMYK JPEG (Adobe, inverted)")

# Resizes: one noisy source, many target shapes.
s = pattern(41, 29, 3)
s.tofile("resize_src.rgb.u8")
for (w, h) in [(100, 90), (17, 9), (1, 1), (41, 5), (3, 29), (97, 13), (224, 7), (40, 30), (41, 29)]:
    name = f"resize_{w}x{h}.rgb.u8"
    np.asarray(Image.fromarray(s, "RGB").resize((w, h), Image.BICUBIC)).tofile(name)
    out["resize"].append({"src": "resize_src.rgb.u8", "src_width": 41, "src_height": 29,
                          "width": w, "height": h, "rgb": name})

json.dump(out, open("index.json", "w"), indent=1)
print(len(out["decode"]), "decode,", len(out["resize"]), "resize fixtures")
