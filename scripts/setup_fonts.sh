#!/usr/bin/env bash
# Install what peakzero's reports need from the system: a CJK (Chinese) font, so that zh reports
# render Chinese text in charts and PDF, HarfBuzz's subsetter, which WeasyPrint uses to embed
# (subset) fonts in the PDF quickly (without it WeasyPrint falls back to a slow path and warns),
# and poppler-utils (pdftoppm), which renders report pages to PNG to look at them.
#
# Idempotent: exits at once when both are present.
# Debian/Ubuntu only (apt-get). Needs root for the install; prints what to run otherwise.
# Usage: bash scripts/setup_fonts.sh
set -euo pipefail

PKG="${PEAKZERO_CJK_FONT_PKG:-fonts-wqy-microhei}"   # ~5 MB; fonts-noto-cjk also works (larger)
HB_PKG="libharfbuzz-subset0"
PDF_PKG="poppler-utils"

have_cjk_font() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]
}

have_hb_subset() {
    ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'
}

have_pdftoppm() {
    command -v pdftoppm >/dev/null 2>&1
}

if have_cjk_font && have_hb_subset && have_pdftoppm; then
    echo "setup_fonts: CJK font present: $(fc-list :lang=zh family | head -n 1); HarfBuzz subset present"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_fonts: CJK font or HarfBuzz subset library missing, and no apt-get here." >&2
    echo "  Install any font covering Chinese (e.g. Noto Sans CJK SC or WenQuanYi Micro Hei) and the HarfBuzz subset library (libharfbuzz-subset), then re-run." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo"
    else
        echo "setup_fonts: CJK font or HarfBuzz subset library missing and not running as root." >&2
        echo "  Run as root:  apt-get update && apt-get install -y fontconfig $PKG $HB_PKG $PDF_PKG" >&2
        exit 1
    fi
fi

echo "setup_fonts: installing $PKG $HB_PKG $PDF_PKG ..."
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends fontconfig "$PKG" "$HB_PKG" "$PDF_PKG" >/dev/null 2>&1; then
    # The package lists may be missing or stale on a fresh machine: refresh once and retry.
    $SUDO apt-get update -qq
    $SUDO apt-get install -y --no-install-recommends fontconfig "$PKG" "$HB_PKG" "$PDF_PKG" >/dev/null
fi
fc-cache -f >/dev/null 2>&1 || true

if have_cjk_font && have_hb_subset && have_pdftoppm; then
    echo "setup_fonts: installed: $(fc-list :lang=zh family | head -n 1)"
else
    echo "setup_fonts: installed $PKG $HB_PKG, but fontconfig reports no Chinese font or the" >&2
    echo "  HarfBuzz subset library is not found by ldconfig." >&2
    exit 1
fi
