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

# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"
apt_install setup_fonts fontconfig "$PKG" "$HB_PKG" "$PDF_PKG"
fc-cache -f >/dev/null 2>&1 || true

if have_cjk_font && have_hb_subset && have_pdftoppm; then
    echo "setup_fonts: installed: $(fc-list :lang=zh family | head -n 1)"
else
    echo "setup_fonts: installed $PKG $HB_PKG $PDF_PKG, but fontconfig reports no Chinese font or the" >&2
    echo "  HarfBuzz subset library is not found by ldconfig." >&2
    exit 1
fi
