/* main.c — the command line (cli.md). The only place that prints or exits. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mspdoc: not yet\n");
	return 2;
}
