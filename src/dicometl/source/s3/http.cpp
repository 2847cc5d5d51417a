#include "dicometl/source/s3/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace dicometl::source::s3 {

namespace {

// The calling thread's handle: curl_easy_reset keeps its connection cache, so a reader thread
// re-uses one keep-alive connection for all its ranged GETs.
struct ThreadHandle {
  CURL* curl = nullptr;
  ~ThreadHandle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

struct Sink {
  HttpResponse* response;
  std::FILE* file;
  long status = 0;
  CURL* curl;
  bool write_failed = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (sink->status == 0) curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &sink->status);
  if (sink->file && sink->status >= 200 && sink->status < 300) {
    if (std::fwrite(data, 1, len, sink->file) != len) {
      sink->write_failed = true;
      return 0;
    }
    return len;
  }
  sink->response->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<HttpResponse*>(user);
  const size_t len = size * n;
  std::string line(data, len);
  if (line.rfind("HTTP/", 0) == 0) r->headers.clear();  // a new response (after 100 Continue…)
  const auto colon = line.find(':');
  if (colon == std::string::npos) return len;
  std::string name = line.substr(0, colon);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value = line.substr(colon + 1);
  const auto b = value.find_first_not_of(" \t");
  const auto e = value.find_last_not_of(" \t\r\n");
  r->headers[name] = b == std::string::npos ? "" : value.substr(b, e - b + 1);
  return len;
}

bool retryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse http_send(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers, std::FILE* file) {
  http_global_init();
  thread_local ThreadHandle handle;
  HttpResponse r;
  if (!handle.curl) handle.curl = curl_easy_init();
  CURL* c = handle.curl;
  if (!c) {
    r.transport_error = "cannot create an HTTP handle";
    return r;
  }
  curl_easy_reset(c);
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  // Let no proxy-added "Expect:" or "Accept:" header change what we signed.
  list = curl_slist_append(list, "Accept:");
  Sink sink{&r, file, 0, c};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  // A stalled transfer (under 1 byte/s for 30 s) is a timeout; big downloads may take long.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  else if (method != "GET") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());

  const CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(list);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (sink.write_failed) {
    r.status = 0;
    r.transport_error = "cannot write the downloaded object to disk";
    return r;
  }
  if (code != CURLE_OK) {
    // The error text names host and cause, never a header: no secret can leak through it.
    r.transport_error = errbuf[0] ? errbuf : curl_easy_strerror(code);
    r.retryable_transport = retryable(code);
    r.status = 0;
  }
  return r;
}

}  // namespace dicometl::source::s3
