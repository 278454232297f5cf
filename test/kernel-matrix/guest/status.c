/* status ARGS... N: prints its argv on one line and exits with status N. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("%s[%s]", i ? " " : "", argv[i]);
	printf("\n");
	return argc > 1 ? atoi(argv[argc - 1]) : 0;
}
