/* job.h — one piece of work on a second core.
 *
 * A document's PDF and its XLSX are written from the same read-only model,
 * so the XLSX is written on a second thread while the PDF is laid out.
 * ms_job_start runs fn(arg) on a new thread, or at once in the caller when
 * no thread can be started or MSPDOC_THREADS=1 is set; ms_job_join waits and
 * returns fn's result. The job may only read what the caller shares with it
 * and must have its own ms_diags: nothing here locks. Outputs do not depend
 * on which way it ran. */
#ifndef MS_JOB_H
#define MS_JOB_H

#include <pthread.h>

typedef struct ms_job {
	pthread_t thread;
	int (*fn)(void *);
	void *arg;
	int rc;
	int threaded; /* 1 while a thread runs it */
} ms_job;

/* 0 when MSPDOC_THREADS=1 asks for one thread, else 1. */
int ms_threads_allowed(void);

void ms_job_start(ms_job *j, int (*fn)(void *), void *arg);
/* Only on a second thread: 0 when it started, -1 (fn not run) when no thread
 * could be had or MSPDOC_THREADS=1. For work that needs the caller's help
 * while it runs. */
int ms_job_try_start(ms_job *j, int (*fn)(void *), void *arg);
int ms_job_join(ms_job *j);

/* rename(tmp, path): an output put in place (0, or -1 with errno). */
int ms_replace(const char *tmp, const char *path);

#endif
