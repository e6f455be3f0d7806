/* job.c — see job.h. */
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *run(void *p)
{
	ms_job *j = p;
	j->rc = j->fn(j->arg);
	return NULL;
}

int ms_threads_allowed(void)
{
	const char *env = getenv("MSPDOC_THREADS");
	return !(env && !strcmp(env, "1"));
}

int ms_job_try_start(ms_job *j, int (*fn)(void *), void *arg)
{
	j->fn = fn;
	j->arg = arg;
	j->rc = 0;
	j->threaded = ms_threads_allowed() && pthread_create(&j->thread, NULL, run, j) == 0;
	return j->threaded ? 0 : -1;
}

void ms_job_start(ms_job *j, int (*fn)(void *), void *arg)
{
	if (ms_job_try_start(j, fn, arg) < 0)
		run(j);
}

int ms_job_join(ms_job *j)
{
	if (j->threaded) {
		pthread_join(j->thread, NULL);
		j->threaded = 0;
	}
	return j->rc;
}

int ms_replace(const char *tmp, const char *path)
{
	return rename(tmp, path);
}
