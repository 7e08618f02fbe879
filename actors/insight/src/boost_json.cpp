// Boost.JSON's compiled part, built header-only. It must be in exactly one
// translation unit of the program: a program linking weir_insight that also
// needs Boost.JSON uses this copy (or links libboost_json instead of us).
#include <boost/json/src.hpp>
