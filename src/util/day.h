/* day.h — dates: days since 1970-01-01 (proleptic Gregorian), the one date
 * type of every stage (readers, records, documents, back-ends). */
#ifndef MS_DAY_H
#define MS_DAY_H

#include <stdint.h>

typedef int32_t ms_day;
#define MS_NO_DAY INT32_MIN

/* Convert a day count to y/m/d and back. */
void ms_day_to_ymd(ms_day d, int *y, int *m, int *dd);
ms_day ms_ymd_to_day(int y, int m, int d); /* MS_NO_DAY when invalid */

#endif
