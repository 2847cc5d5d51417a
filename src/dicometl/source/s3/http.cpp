#include "dicometl/source/s3/http.hpp"

#include "dicometl/http/client.hpp"

namespace dicometl::source::s3 {

void http_global_init() { http::global_init(); }

HttpResponse http_send(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, std::FILE* file) {
  http::Request q;
  q.method = method;
  q.url = url;
  q.headers = headers;
  // Let no proxy-added "Accept:" header change what we signed.
  q.headers.push_back("Accept:");
  q.sink = file;
  q.keep_headers = true;
  // A stalled transfer (under 1 byte/s for 30 s) is a timeout; big downloads may take long.
  q.low_speed_seconds = 30;
  q.max_body = static_cast<std::size_t>(-1);  // listing pages are parsed whole
  http::Response a = http::send(q);
  HttpResponse r;
  r.status = a.status;
  r.transport_error = std::move(a.error);
  r.retryable_transport = a.retryable_transport;
  r.headers = std::move(a.headers);
  r.body = std::move(a.body);
  return r;
}

}  // namespace dicometl::source::s3
