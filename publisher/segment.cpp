#include "publisher/segment.h"

// Segment types are plain data; this file anchors the podium_publisher library.
