/* job.c — see job.h. */
#include "job.h"

#include <stdlib.h>
#include <string.h>

static void *run(void *p)
{
	ms_job *j = p;
	j->rc = j->fn(j->arg);
	return NULL;
}

void ms_job_start(ms_job *j, int (*fn)(void *), void *arg)
{
	const char *env = getenv("MSPDOC_THREADS");
	j->fn = fn;
	j->arg = arg;
	j->rc = 0;
	j->threaded = !(env && !strcmp(env, "1")) && pthread_create(&j->thread, NULL, run, j) == 0;
	if (!j->threaded)
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
