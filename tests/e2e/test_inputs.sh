#!/bin/sh
# test_inputs.sh — what senders really send (issue 19): files of unknown
# kinds, values as people type them, honest templates, Word and .ods files.
. tests/e2e/lib.sh

# 1. A file of a kind mspdoc does not read is an error naming it; a photo
# in another format is an asset (warning), not an error.
mkdir -p "$TMP/k"
printf 'hello' >"$TMP/k/notes.pdf"
run_mspdoc check "$TMP/k" 2>"$TMP/e"
expect_eq "a .pdf among the inputs exits 1" $? 1
expect_grep "the .pdf is named as an error" "notes.pdf: error: .*not read" "$TMP/e"
rm "$TMP/k/notes.pdf"
printf 'x' >"$TMP/k/phone.heic"
run_mspdoc check "$TMP/k" 2>"$TMP/e"
expect_eq "a .heic photo alone exits 0" $? 0
expect_grep "the .heic photo gets a warning" "phone.heic: warning: .*JPEG" "$TMP/e"

# 2. Values as people type them: one bad optional value is a warning and the
# record stays; an ambiguous date is an error naming the line and both readings.
mkdir -p "$TMP/v"
cat >"$TMP/v/c.md" <<'MD'
Form: Contribution
Country: Lao PDR
Title: Values as typed
Role: Donor
Scope: Bilateral
Areas: VA
Budget: 450000
Author: A. Writer
Contact: A. Writer, a.writer@example.org
Received: 31 June 2013
Rights: cleared

## Summary

Text.
MD
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "a bad optional date keeps the record (exit 0)" $? 0
expect_grep "bad Received is a warning at its line" "c.md:10: warning: Received: '31 June 2013' is not a date" "$TMP/e"
expect_grep "a bare budget names the currency assumed" "c.md:7: warning: Budget: '450000' has no currency: read as USD 450,000" "$TMP/e"
sed -i 's/^Received: .*/Received: 02\/03\/2013/' "$TMP/v/c.md"
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "an ambiguous date exits 1" $? 1
expect_grep "ambiguous date: line and both readings" "c.md:10: error: Received: '02/03/2013' could be 2 March 2013 or 3 February 2013" "$TMP/e"
sed -i 's/^Received: .*/Received: July 22, 2013/; s/^Budget: .*/Budget: 95 000 €/' "$TMP/v/c.md"
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "typed date and amount accepted" $? 0
expect_nogrep "no warning for a typed date and amount" ": warning:" "$TMP/e"

# 4. Honest templates: a section with only the template's instructions is
# empty; the message for an empty field names its line.
cat >"$TMP/v/c.md" <<'MD'
Form: Contribution
Country: Lao PDR
Title:
Role: Donor
Scope: Bilateral
Areas: VA
Author: A. Writer
Contact: A. Writer, a.writer@example.org
Rights: cleared

## Summary

<!-- What was done, by whom, with what result (required). -->
MD
run_mspdoc check "$TMP/v/c.md" 2>"$TMP/e"
expect_eq "an instructions-only section is an error" $? 1
expect_grep "the empty Summary is named at its heading" "c.md:11: error: required section 'Summary' is empty" "$TMP/e"
expect_grep "the empty Title is named at its line" "c.md:3: error: required field 'Title' is empty" "$TMP/e"

finish inputs
