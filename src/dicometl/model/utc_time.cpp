#include "dicometl/model/utc_time.hpp"

#include <ctime>

namespace dicometl {

namespace {
std::string utc_now(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}
}  // namespace

std::string utc_now_iso8601() { return utc_now("%Y-%m-%dT%H:%M:%SZ"); }
std::string utc_now_sql() { return utc_now("%Y-%m-%d %H:%M:%S"); }

}  // namespace dicometl
