/* See config-area.h. */
#include "config-area.h"
#include <stdlib.h>
#include <string.h>

/* ld_path, root, library_path, as `binfmt loader stamp` writes them. */
static const char STRINGS[] = "/lib64/ld-linux-x86-64.so.2\0\0/opt/lib:/usr/lib\0";

struct config_area *config_area_make(uint8_t c)
{
	struct config_area *cfg = calloc(1, sizeof *cfg + sizeof STRINGS);
	memcpy(cfg->magic, CONFIG_MAGIC, 8);
	cfg->version = CONFIG_VERSION;
	cfg->header_size = CONFIG_HEADER_SIZE;
	cfg->area_size = CONFIG_HEADER_SIZE + (c & 32 ? sizeof STRINGS : 0);
	cfg->policy = c & 3;
	cfg->flags = (c >> 2) & 7;
	memcpy(cfg->strings, STRINGS, sizeof STRINGS);
	return cfg;
}
