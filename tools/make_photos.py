#!/usr/bin/python3
"""Generate the sample "field photographs" of inputs/catalogue/photos/.

The catalogue sample needs photographs that carry no rights restriction, so
they are drawn here with ImageMagick (/usr/bin/convert): plasma textures and
simple shapes that suggest a cleared field, a workshop, a depot. Seeds are
fixed and metadata stripped, so running the script again gives the same files.

One JPEG carries an EXIF Orientation tag of 6 (stored landscape, shown
portrait) to exercise the orientation handling of documents.md; it is written
by inserting a minimal APP1 segment rather than with exiftool, which is not a
build dependency. One PNG (a map-like diagram) has an alpha channel.

Usage: /usr/bin/python3 tools/make_photos.py [OUTDIR]
"""
import os
import struct
import subprocess
import sys

CONVERT = "/usr/bin/convert"  # /usr/local/bin/convert may be a stand-in
W, H = 1200, 800
JPEG_OPTS = ["-attenuate", "0.2", "+noise", "Gaussian", "-strip", "-interlace", "none",
             "-sampling-factor", "2x2", "-quality", "80"]


def run(args):
    subprocess.run([CONVERT] + args, check=True)


def texture(seed, w, h, dark, light, blur=2):
    """A natural-looking texture: a plasma fractal reduced to grey and mapped
    onto two colours (raw plasma is a rainbow)."""
    return ["(", "-seed", str(seed), "-size", f"{w}x{h}", "plasma:fractal",
            "-blur", f"0x{blur}", "-colorspace", "Gray", "-auto-level",
            "+level-colors", f"{dark},{light}", ")"]


def sky_and_ground(seed, sky, ground, horizon):
    """Layers for a landscape: a sky gradient over a textured ground."""
    return ["-size", f"{W}x{horizon}", f"gradient:{sky[0]}-{sky[1]}"] + \
        texture(seed, W, H - horizon, ground[0], ground[1]) + ["-append"]


def cleared_field(out):
    # Xieng Khouang: a ploughed field after clearance, red/white markers on
    # the boundary, hills on the horizon.
    args = sky_and_ground(11, ("#9fc3e0", "#e8eef2"), ("#6f7d3a", "#a48a5a"), 300)
    args += ["-fill", "#4d6a3c", "-draw", "path 'M 0,300 Q 200,180 420,270 T 820,240 T 1200,290 L 1200,310 L 0,310 Z'"]
    args += ["-fill", "#5b7a45", "-draw", "path 'M 0,320 Q 300,250 600,300 T 1200,300 L 1200,330 L 0,330 Z'"]
    for i in range(9):
        x = 120 + i * 120
        y = 470 + (i % 3) * 6
        args += ["-fill", "#f4f1ea", "-draw", f"rectangle {x},{y} {x + 10},{y + 70}"]
        args += ["-fill", "#c0392b", "-draw", f"rectangle {x},{y} {x + 10},{y + 22}"]
    args += ["-fill", "#5a4630", "-draw", "polyline 0,560 1200,540 1200,548 0,568"]
    args += JPEG_OPTS + [out]
    run(args)


def crater_garden(out):
    # A bomb crater turned into a fish pond, a familiar sight on the plain.
    args = sky_and_ground(23, ("#b9d3e8", "#f1f3ef"), ("#7a8b3f", "#5d6b2e"), 260)
    args += ["-fill", "#6b5a3a", "-draw", "ellipse 600,560 330,150 0,360"]
    args += ["-fill", "#5a7f86", "-draw", "ellipse 600,570 270,110 0,360"]
    args += ["-fill", "#9cc2c4", "-draw", "ellipse 560,545 120,30 0,360"]
    for x in (180, 240, 960, 1040):
        args += ["-fill", "#3f5a2a", "-draw", f"ellipse {x},330 40,90 0,360"]
        args += ["-fill", "#4b3a26", "-draw", f"rectangle {x - 5},390 {x + 5},430"]
    args += JPEG_OPTS + [out]
    run(args)


def meeting_room(out, seed, wall, people):
    # A peer-support meeting or a workshop: a wall, a table, round heads.
    args = texture(seed, W, H, wall[0], wall[1], 6)
    args += ["-fill", "#e9e4d8", "-draw", "rectangle 380,90 820,330"]  # flip chart / screen
    args += ["-fill", "#5f6f7f", "-draw", "rectangle 400,110 800,130"]
    for i in range(6):
        args += ["-fill", "#8c9aa6", "-draw", f"rectangle 420,{160 + i * 26} {760 - i * 40},{170 + i * 26}"]
    args += ["-fill", "#7b5b3c", "-draw", "rectangle 120,560 1080,620"]  # table
    palette = ["#2e4a62", "#8e3b2f", "#3d6b4f", "#6a4c7a", "#b58b2f", "#35605f", "#7a3e58", "#4f5d2f"]
    for i in range(people):
        x = 170 + i * (860 // max(people - 1, 1))
        args += ["-fill", palette[i % len(palette)], "-draw", f"roundrectangle {x - 55},440 {x + 55},600 30,30"]
        args += ["-fill", "#a87b5a" if i % 2 else "#c59a78", "-draw", f"circle {x},400 {x + 38},400"]
    args += ["-fill", "#f2efe6", "-draw", "rectangle 300,575 360,585 rectangle 700,578 770,588"]
    args += JPEG_OPTS + [out]
    run(args)


def depot(out, seed):
    # Rows of munition crates in a depot awaiting destruction.
    args = texture(seed, W, H, "#3e4143", "#8a8d88", 4)
    args += ["-fill", "#5d5f5c", "-draw", "polygon 0,520 1200,520 1200,800 0,800"]
    for row in range(3):
        y = 250 + row * 110
        for col in range(8):
            x = 60 + col * 140 + (row % 2) * 30
            args += ["-fill", "#5b6b3e", "-draw", f"rectangle {x},{y} {x + 115},{y + 90}"]
            args += ["-fill", "#46542f", "-draw", f"rectangle {x},{y + 38} {x + 115},{y + 48}"]
            args += ["-fill", "#e3d7a8", "-draw", f"rectangle {x + 12},{y + 12} {x + 52},{y + 30}"]
    args += ["-fill", "#f0c419", "-draw", "rectangle 0,600 1200,612"]
    args += JPEG_OPTS + [out]
    run(args)


def demolition(out, seed):
    # Open detonation at a range: a smoke plume over a dry plain.
    args = sky_and_ground(seed, ("#8fb4d6", "#dfe7ec"), ("#a08660", "#c7b28a"), 420)
    args += ["("] + texture(seed + 1, 520, 520, "#7d766c", "#e4ded4", 8) + [
             "(", "-size", "520x520", "radial-gradient:white-black", ")",
             "-alpha", "off", "-compose", "CopyOpacity", "-composite", ")",
             "-geometry", "+420+70", "-compose", "Over", "-composite"]
    args += ["-fill", "#6f5b3f", "-draw", "polygon 0,640 380,600 700,650 1200,610 1200,800 0,800"]
    args += JPEG_OPTS + [out]
    run(args)


def survey_team(out, seed, shirt="#2d5fa0", ground=("#6b7f45", "#93a060"), team=((520, 520), (600, 460), (690, 420))):
    # Non-technical survey or a training lane: a team on a slope, tape.
    args = sky_and_ground(seed, ("#a9c6de", "#eef1f2"), ground, 280)
    args += ["-fill", "#3f5e38", "-draw", "path 'M 0,280 Q 350,160 700,260 T 1200,230 L 1200,300 L 0,300 Z'"]
    args += ["-stroke", "#d9d9d9", "-strokewidth", "4", "-fill", "none",
             "-draw", "line 80,780 640,360", "-draw", "line 420,790 760,365", "-stroke", "none"]
    for i, (x, y) in enumerate(team):
        s = 1.0 - (y < 500) * 0.18 - (y < 440) * 0.18
        args += ["-fill", shirt, "-draw", f"roundrectangle {x - 22 * s:.0f},{y} {x + 22 * s:.0f},{y + 95 * s:.0f} 10,10"]
        args += ["-fill", "#b08a68", "-draw", f"circle {x},{y - 18 * s:.0f} {x + 15 * s:.0f},{y - 18 * s:.0f}"]
    args += JPEG_OPTS + [out]
    run(args)


def prosthetics_portrait(out):
    # A prosthetic leg on a workbench, shot in portrait: drawn upright at
    # 800x1200, then stored rotated a quarter turn anticlockwise so that
    # Orientation 6 (rotate 90 degrees clockwise to display) shows it upright.
    args = texture(71, 800, 1200, "#b3a286", "#e2d6c0", 5)
    args += ["-fill", "#6e5232", "-draw", "rectangle 0,900 800,1200"]  # bench
    args += ["-fill", "#c9a27c", "-draw", "roundrectangle 330,180 470,420 40,40"]  # socket
    args += ["-fill", "#8a8f96", "-draw", "rectangle 385,420 415,800"]  # pylon
    args += ["-fill", "#5a5f66", "-draw", "rectangle 378,430 422,460"]
    args += ["-fill", "#3e3a36", "-draw", "roundrectangle 340,800 520,880 25,25"]  # foot
    args += ["-fill", "#efe9dd", "-draw", "rectangle 90,120 250,330"]  # fitting card
    for i in range(6):
        args += ["-fill", "#7d858c", "-draw", f"rectangle 105,{145 + i * 28} {235 - i * 12},{152 + i * 28}"]
    args += ["-rotate", "-90"] + JPEG_OPTS + [out + ".tmp.jpg"]
    run(args)
    with open(out + ".tmp.jpg", "rb") as f:
        data = f.read()
    os.remove(out + ".tmp.jpg")
    with open(out, "wb") as f:
        f.write(with_orientation(data, 6))


def with_orientation(jpeg, value):
    """The JPEG with its APP0 (JFIF) segment replaced by an Exif APP1 segment
    holding IFD0 with one entry: Orientation (0x0112, SHORT) = value."""
    assert jpeg[:2] == b"\xff\xd8"
    pos = 2
    if jpeg[2:4] == b"\xff\xe0":  # drop JFIF: an Exif file starts with APP1
        pos = 4 + struct.unpack(">H", jpeg[4:6])[0]
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, value, 0)
    tiff += struct.pack("<I", 0)
    body = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return b"\xff\xd8" + app1 + jpeg[pos:]


def province_map(out):
    # A schematic map of districts with surveyed and cleared areas, on a
    # transparent background (PNG with alpha) and a small legend.
    args = ["-size", f"{W}x{H}", "xc:none"]
    args += ["-stroke", "#5a5a5a", "-strokewidth", "3", "-fill", "#f3efe2e0",
             "-draw", "polygon 140,120 520,70 760,150 1030,110 1100,380 980,690 620,730 300,680 110,460"]
    args += ["-strokewidth", "2", "-stroke", "#9a9a9a", "-fill", "none",
             "-draw", "polyline 520,70 560,330 300,680",
             "-draw", "polyline 560,330 1100,380",
             "-draw", "polyline 560,330 700,730"]
    args += ["-stroke", "none"]
    for (x, y, rx, ry) in ((330, 300, 70, 45), (420, 520, 55, 40), (760, 260, 80, 50), (870, 520, 60, 70), (250, 470, 40, 30)):
        args += ["-fill", "#c0392bb0", "-draw", f"ellipse {x},{y} {rx},{ry} 0,360"]
    for (x, y, rx, ry) in ((360, 260, 50, 30), (800, 250, 60, 35), (860, 560, 40, 45)):
        args += ["-fill", "#27ae60c8", "-draw", f"ellipse {x},{y} {rx},{ry} 0,360"]
    args += ["-stroke", "#3b7dbf", "-strokewidth", "4", "-fill", "none",
             "-draw", "path 'M 60,560 C 200,520 260,640 420,600 S 640,700 760,760'"]
    args += ["-stroke", "none", "-fill", "#ffffffe6", "-draw", "roundrectangle 860,650 1180,785 12,12"]
    args += ["-fill", "#c0392bb0", "-draw", "rectangle 880,670 910,695"]
    args += ["-fill", "#27ae60c8", "-draw", "rectangle 880,710 910,735"]
    args += ["-fill", "#2c3e50", "-draw", "rectangle 880,752 910,756"]
    for i in range(3):
        args += ["-fill", "#7f8c8d", "-draw", f"rectangle 925,{675 + i * 40} {1130 - i * 30},{688 + i * 40}"]
    args += ["-fill", "#2c3e50", "-draw", "polygon 1120,90 1135,40 1150,90 1135,80"]  # north arrow
    args += ["-strip", "-define", "png:exclude-chunks=date,time", "PNG32:" + out]
    run(args)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "inputs", "catalogue", "photos")
    os.makedirs(outdir, exist_ok=True)
    p = lambda name: os.path.join(outdir, name)
    cleared_field(p("xieng-khouang-cleared-field.jpg"))
    crater_garden(p("crater-pond-phonsavan.jpg"))
    province_map(p("xieng-khouang-survey-map.png"))
    meeting_room(p("peer-support-nabatieh.jpg"), 31, ("#d7c9a7", "#efe3c8"), 6)
    meeting_room(p("article7-workshop.jpg"), 37, ("#b7c4cf", "#dde4ea"), 8)
    meeting_room(p("herat-outreach.jpg"), 41, ("#cdbb9a", "#e6d8bb"), 5)
    depot(p("depot-danilovgrad.jpg"), 43)
    demolition(p("open-detonation-range.jpg"), 47)
    survey_team(p("survey-lane-herzegovina.jpg"), 53)
    survey_team(p("triangular-training-field.jpg"), 59, "#1d4f91", ("#8b6f45", "#b79d6a"),
                ((300, 560), (380, 560), (470, 470), (860, 540), (940, 540)))
    prosthetics_portrait(p("prosthesis-fitting-ljubljana.jpg"))
    total = 0
    for name in sorted(os.listdir(outdir)):
        size = os.path.getsize(p(name))
        total += size
        print(f"{size:8d}  {name}")
    print(f"{total:8d}  total")


if __name__ == "__main__":
    main()
