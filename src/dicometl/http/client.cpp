#include "dicometl/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace dicometl::http {

namespace {

// The calling thread's handle: curl_easy_reset keeps its connection cache, so a thread re-uses
// one keep-alive connection for all its requests.
struct ThreadHandle {
  CURL* curl = nullptr;
  ~ThreadHandle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

struct Sink {
  Response* response;
  const Request* request;
  CURL* curl;
  bool write_failed = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (sink->response->status == 0)
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &sink->response->status);
  const long status = sink->response->status;
  if (sink->request->sink && status >= 200 && status < 300) {
    if (std::fwrite(data, 1, len, sink->request->sink) != len) {
      sink->write_failed = true;
      return 0;
    }
    return len;
  }
  std::string& body = sink->response->body;
  if (body.size() < sink->request->max_body)
    body.append(data, std::min(len, sink->request->max_body - body.size()));
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<Response*>(user);
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
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hex_value(s[i + 1])) >= 0 &&
        (lo = hex_value(s[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

SplitUrl split_userinfo(const std::string& url) {
  SplitUrl out{url, {}};
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return out;
  const auto host_start = scheme + 3;
  // The authority ends at the first '/', '?' or '#'; userinfo is what precedes its last '@'.
  const auto end = url.find_first_of("/?#", host_start);
  const auto at = url.rfind('@', end == std::string::npos ? url.size() : end);
  if (at == std::string::npos || at < host_start) return out;
  const std::string info = url.substr(host_start, at - host_start);
  const auto colon = info.find(':');
  out.credentials.user = percent_decode(info.substr(0, colon));
  if (colon != std::string::npos) out.credentials.password = percent_decode(info.substr(colon + 1));
  out.url = url.substr(0, host_start) + url.substr(at + 1);
  return out;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Response send(const Request& q) {
  global_init();
  thread_local ThreadHandle handle;
  Response r;
  if (!handle.curl) handle.curl = curl_easy_init();
  CURL* c = handle.curl;
  if (!c) {
    r.error = "cannot create an HTTP handle";
    return r;
  }
  curl_easy_reset(c);  // keeps the connection cache
  curl_slist* list = nullptr;
  for (const auto& h : q.headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  Sink sink{&r, &q, c};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, q.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  if (q.keep_headers) {
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, q.connect_timeout_seconds);
  if (q.timeout_seconds > 0) curl_easy_setopt(c, CURLOPT_TIMEOUT, q.timeout_seconds);
  if (q.low_speed_seconds > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, q.low_speed_seconds);
  }
  // Credentials travel as options, never inside the URL, so no URL we print or store holds them.
  if (!q.credentials.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, q.credentials.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, q.credentials.password.c_str());
  } else if (q.netrc) {
    curl_easy_setopt(c, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
  }
  if (q.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (q.method == "POST" && q.body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
  } else if (q.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q.method.c_str());
  }
  if (q.body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, q.body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(q.body->size()));
  }

  const CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(list);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (sink.write_failed) {
    r.status = 0;
    r.error = "cannot write the downloaded data to disk";
    return r;
  }
  if (code != CURLE_OK) {
    // The error text names host and cause, never a header: no secret can leak through it.
    r.error = errbuf[0] ? errbuf : curl_easy_strerror(code);
    r.retryable_transport = retryable(code);
    curl_off_t connect_time = 0;
    curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_time);
    r.connect_failed = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
                       code == CURLE_COULDNT_RESOLVE_PROXY ||
                       (code == CURLE_OPERATION_TIMEDOUT && connect_time == 0);
    r.status = 0;
  }
  return r;
}

}  // namespace dicometl::http
