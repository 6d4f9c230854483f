#include "publisher/segment.h"

// Segment types are plain data (built into podium_mp4).
