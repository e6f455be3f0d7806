#!/bin/sh
# make bench: time `mspdoc` on generated inputs at the scales of quality.md
# and print one table (median of RUNS runs, peak RSS from /usr/bin/time -v).
# With pandoc and WeasyPrint installed (make bench-deps), also the same
# contributions through pandoc | weasyprint, and the ratio; with openpyxl,
# the 200,000-cell read by openpyxl.
set -e
RUNS=${RUNS:-5}
MSPDOC=${MSPDOC:-build/mspdoc}
G=build/bench
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795651200}
export MSPDOC_PASSWORD=bench
mkdir -p $G
/usr/bin/python3 -c "import PIL" 2>/dev/null || { echo "make bench: the generator needs Pillow: run make bench-deps (as root)" >&2; exit 2; }
gen() { # name args...
	d=$G/$1
	shift
	[ -d "$d" ] || /usr/bin/python3 tools/gen_bench.py "$d" "$@" >/dev/null
}
gen c30 --contributions 30
gen c120 --contributions 120
gen c480 --contributions 480
gen d2000 --entries 2000
gen p130 --states 130 --actions 70 --funding 10000
gen cells --cells 10000
# the portal site of the same 2,000 entries, restricted (encrypted)
[ -d $G/p2000 ] || { mkdir -p $G/p2000 && cp -r $G/d2000/portal $G/p2000/ &&
	sed -i 's/^Issued by:/Restricted: yes\nIssued by:/' $G/p2000/portal/digest.md; }

# once NAME CMD...: run once; append the wall time (to the millisecond:
# time -v gives hundredths; starting time itself adds about one) to
# $G/NAME.t and the peak RSS in MB to $G/NAME.m
once() {
	name=$1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -v -o $G/time.txt "$@" >/dev/null 2>$G/err.txt || true
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >>$G/$name.t
	awk -F': ' '/Maximum resident/ {print int($2/1024)}' $G/time.txt >>$G/$name.m
}

# row NAME LABEL TARGET: the table row from NAME's runs (median, max RSS)
row() {
	med=$(sort -n $G/$1.t | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	rss=$(sort -n $G/$1.m | tail -n 1)
	printf '| %-44s | %8.3f s | %6d MB | %-22s |\n' "$2" "$med" "$rss" "$3"
	echo "$med" >$G/$1.med
}

# measure NAME LABEL TARGET CMD...: RUNS runs in a row, then its row
measure() {
	name=$1
	label=$2
	target=$3
	shift 3
	rm -f $G/$name.t $G/$name.m
	i=0
	while [ $i -lt "$RUNS" ]; do
		once $name "$@"
		i=$((i + 1))
	done
	row $name "$label" "$target"
}

echo "mspdoc bench — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), median of $RUNS"
echo "| work                                         |     time |   peak RSS | target                 |"
echo "|----------------------------------------------|----------|------------|------------------------|"
# mspdoc's runs go round-robin, RUNS rounds: a slow spell of a shared
# machine then falls on every line a little, not on one line a lot
names="c30 c120 c480 read check digest portal progress"
for n in $names; do rm -f $G/$n.t $G/$n.m; done
i=0
while [ $i -lt "$RUNS" ]; do
	once c30 $MSPDOC catalogue $G/c30/catalogue -o $G/out30
	once c120 $MSPDOC catalogue $G/c120/catalogue -o $G/out120
	once c480 $MSPDOC catalogue $G/c480/catalogue -o $G/out480
	once read ${READBENCH:-build/readbench} $G/cells/register.xlsx
	once check $MSPDOC check $G/cells/register.xlsx
	once digest $MSPDOC digest $G/d2000/portal -o $G/outd --as-of 2026-11-24
	once portal $MSPDOC portal $G/p2000/portal -o $G/outportal --as-of 2026-11-24
	once progress $MSPDOC progress $G/p130/progress -o $G/outp --as-of 2013-06-30
	i=$((i + 1))
done
row c30 "catalogue, 30 contributions" ""
row c120 "catalogue, 120 contributions (PDF + XLSX)" "<= 0.2 s, <= 64 MB"
row c480 "catalogue, 480 contributions" "<= 4.2 x (120), <= 128 MB"
row read "read a 200,000-cell workbook (the reader alone)" "<= 0.08 s"
row check "mspdoc check on it (read, type, validate 9,999 needs)" ""
row digest "digest, 2,000 entries with matching" "<= 0.35 s"
row portal "portal site, 2,000 entries, encrypted" "<= 0.5 s"
row progress "progress, 130 x 70 x 2 + 10,000 funding" "<= 0.2 s"
t120=$(cat $G/c120.med)
t480=$(cat $G/c480.med)
awk -v a="$t480" -v b="$t120" 'BEGIN { if (b > 0) printf "480/120 time ratio: %.2f (target <= 4.2)\n", a / b }'
photos=$(du -cb $G/c120/catalogue/photos/*.jpg | tail -n 1 | cut -f1)
pdf=$(stat -c %s $G/out120.pdf 2>/dev/null || echo 0)
awk -v p="$photos" -v f="$pdf" 'BEGIN { printf "catalogue PDF %d bytes, photos %d bytes: limit 1.1 x photos + 1 MB = %d (%s)\n", f, p, 1.1 * p + 1048576, (f <= 1.1 * p + 1048576) ? "ok" : "OVER" }'
if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then
	cat $G/c120/catalogue/c*.md | sed '/^[A-Z][A-Za-z ]*: /d' >$G/all.md
	measure ref "pandoc | weasyprint, same 120 contributions" "reference" sh -c "cd $G/c120/catalogue && pandoc --toc -s ../../all.md -t html | weasyprint - ../../ref.pdf"
	awk -v a="$(cat $G/ref.med)" -v b="$t120" 'BEGIN { if (b > 0) printf "pandoc|weasyprint / mspdoc: %.1f x\n", a / b }'
else
	echo "(pandoc and weasyprint not installed: make bench-deps for the comparison)"
fi
measure openpyxl "openpyxl read of the 200,000 cells" "reference" /usr/bin/python3 -c "import openpyxl; wb = openpyxl.load_workbook('$G/cells/register.xlsx', read_only=True); [c.value for r in wb.active.iter_rows() for c in r]"
# the machine's speed now against the one quality.md's targets were set on,
# where openpyxl read the same cells in 0.85 s: a shared machine's slow
# spells slow every row alike
awk -v a="$(cat $G/openpyxl.med)" 'BEGIN { if (a > 0) printf "openpyxl took %.2f s against 0.85 s on the reference machine: this machine is running at %.0f %% of its speed\n", a, 100 * 0.85 / a }'
