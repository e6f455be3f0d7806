#!/bin/sh
# Make the Word samples of inputs/ from their Markdown originals in
# tools/word-src/, the way a sender's word processor makes them: pandoc
# writes the .docx (headings, lists, tables, footnotes, block quotes and
# pictures with captions as Word styles), then LibreOffice opens and saves
# it again, as a sender editing it would. The results are committed;
# tests/e2e/test_inputs.sh checks that they give the same records as the
# originals. Needs pandoc and libreoffice-writer (not build dependencies).
#
# Usage: sh tools/make_word_samples.sh
set -e
src=tools/word-src
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for md in "$src"/*.md; do
	name=$(basename "$md" .md)
	case "$name" in
	need-* | offer-* | experience-*) dest=inputs/portal ;;
	*) dest=inputs/catalogue ;;
	esac
	# a picture's credit goes into its caption paragraph ("... Credit:
	# Name"), as a sender types it under the picture in Word
	sed -E 's/!\[([^]]*)\]\(([^ )]*) "Credit: ([^"]*)"\)/![\1. Credit: \3](\2)/' "$md" >"$tmp/$name.md"
	pandoc -f commonmark_x+implicit_figures-smart -t docx --resource-path=inputs/catalogue \
		-o "$tmp/$name.docx" "$tmp/$name.md"
	mkdir -p "$tmp/lo"
	soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$tmp/lo" \
		"$tmp/$name.docx" >/dev/null 2>&1
	cp "$tmp/lo/$name.docx" "$dest/$name.docx"
	echo "$dest/$name.docx"
done
