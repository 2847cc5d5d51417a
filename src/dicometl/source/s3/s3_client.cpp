#include "dicometl/source/s3/s3_client.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "dicometl/source/s3/http.hpp"
#include "dicometl/source/s3/s3_url.hpp"
#include "dicometl/source/s3/sigv4.hpp"

namespace dicometl::source::s3 {

namespace {

bool is_ip_or_localhost(const std::string& host) {
  if (host == "localhost" || (!host.empty() && host.front() == '[')) return true;
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}

bool dns_compatible(const std::string& bucket, bool https) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (c == '.' && !https)))
      return false;
  return bucket.front() != '-' && bucket.back() != '-';
}

// Status codes worth another try: server errors and throttling (429, 503 SlowDown).
bool retryable_status(long status, const std::string& body) {
  if (status >= 500 || status == 429) return true;
  return status == 400 && (body.find("<Code>RequestTimeout</Code>") != std::string::npos ||
                           body.find("<Code>SlowDown</Code>") != std::string::npos);
}

std::string describe(const HttpResponse& r) {
  if (r.status == 0) return r.transport_error;
  std::string text = "HTTP " + std::to_string(r.status);
  const std::string detail = parse_error_body(r.body);
  return detail.empty() ? text : text + " (" + detail + ")";
}

void back_off(int attempt, int base_ms) {
  if (base_ms <= 0) return;
  // Full jitter (AWS's advice): spreads retries of many threads hit by the same hiccup.
  thread_local std::mt19937 rng(std::random_device{}());
  const long cap = std::min<long>(20000, static_cast<long>(base_ms) << std::min(attempt, 10));
  std::uniform_int_distribution<long> pick(cap / 2, cap);
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(rng)));
}

}  // namespace

bool use_path_style(const Config& cfg, const std::string& bucket) {
  if (cfg.path_style) return true;
  if (cfg.endpoint.custom && is_ip_or_localhost(cfg.endpoint.host)) return true;
  return !dns_compatible(bucket, cfg.endpoint.scheme == "https");
}

Target make_target(const Config& cfg, const std::string& bucket, const std::string& key,
                   const std::vector<std::pair<std::string, std::string>>& query) {
  Target t;
  const Endpoint& ep = cfg.endpoint;
  const bool path_style = use_path_style(cfg, bucket);
  t.host = path_style ? ep.host : bucket + "." + ep.host;
  if (!ep.port.empty()) t.host += ":" + ep.port;
  t.path = ep.base_path;
  if (path_style) t.path += "/" + uri_encode(bucket, false);
  if (!key.empty() || !path_style) t.path += "/" + uri_encode(key, true);
  t.url = ep.scheme + "://" + t.host + t.path;
  if (!query.empty()) t.url += "?" + canonical_query(query);
  return t;
}

Client::Client(Config config) : cfg_(std::move(config)) { http_global_init(); }

bool Client::get(const std::string& bucket, const std::string& key,
                 const std::vector<std::pair<std::string, std::string>>& query,
                 const std::vector<std::pair<std::string, std::string>>& headers, std::FILE* file,
                 HttpResponse& response, std::string& error) const {
  const Target t = make_target(cfg_, bucket, key, query);
  RequestToSign req;
  req.host = t.host;
  req.path = t.path;
  req.query = query;
  req.headers = headers;
  for (int attempt = 0; attempt < cfg_.max_attempts; ++attempt) {
    if (attempt) back_off(attempt - 1, cfg_.base_delay_ms);
    if (file) {
      std::fflush(file);
      std::rewind(file);
      if (ftruncate(fileno(file), 0) != 0) {
        error = "cannot truncate the download file";
        return false;
      }
    }
    // Signed afresh per attempt: a retry after a long back-off must not reuse a stale date.
    response = http_send("GET", t.url, sign_v4(req, cfg_.credentials, cfg_.region, amz_date_now()),
                         file);
    if (response.status >= 200 && response.status < 300) {
      error.clear();  // an earlier attempt's failure is not this request's outcome
      return true;
    }
    const bool again = response.status == 0 ? response.retryable_transport
                                            : retryable_status(response.status, response.body);
    error = describe(response);
    if (!again) return false;
  }
  error += " (after " + std::to_string(cfg_.max_attempts) + " attempts)";
  return false;
}

namespace {
// One listing, page by page; `delimiter` empty for a flat listing.
void list_pages(const std::string& bucket, const std::string& prefix, const std::string& delimiter,
                int page_size, const std::function<bool(const ListPage&)>& each,
                const std::function<bool(const std::vector<std::pair<std::string, std::string>>&,
                                         HttpResponse&, std::string&)>& get) {
  std::string token;
  while (true) {
    std::vector<std::pair<std::string, std::string>> query = {
        {"list-type", "2"},
        {"encoding-type", "url"},  // keys with characters XML 1.0 cannot carry
        {"max-keys", std::to_string(page_size)},
        {"prefix", prefix}};
    if (!delimiter.empty()) query.emplace_back("delimiter", delimiter);
    if (!token.empty()) query.emplace_back("continuation-token", token);
    HttpResponse r;
    std::string error;
    if (!get(query, r, error))
      throw Error("listing s3://" + bucket + "/" + prefix + " failed: " + error);
    ListPage page;
    if (!parse_list_page(r.body, page, error))
      throw Error("listing s3://" + bucket + "/" + prefix + " failed: " + error);
    if (!each(page)) return;
    if (!page.truncated) return;
    if (page.next_token == token)
      throw Error("listing s3://" + bucket + "/" + prefix + " failed: the server repeats its page");
    token = page.next_token;
  }
}
}  // namespace

void Client::list(const std::string& bucket, const std::string& prefix,
                  const std::function<bool(const ObjectEntry&)>& each) const {
  list_pages(
      bucket, prefix, "", cfg_.page_size,
      [&](const ListPage& page) {
        for (const ObjectEntry& o : page.objects)
          if (!each(o)) return false;
        return true;
      },
      [&](const auto& query, HttpResponse& r, std::string& error) {
        return get(bucket, "", query, {}, nullptr, r, error);
      });
}

void Client::list_level(const std::string& bucket, const std::string& prefix,
                        std::vector<ObjectEntry>& objects,
                        std::vector<std::string>& prefixes) const {
  list_pages(
      bucket, prefix, "/", cfg_.page_size,
      [&](const ListPage& page) {
        objects.insert(objects.end(), page.objects.begin(), page.objects.end());
        prefixes.insert(prefixes.end(), page.prefixes.begin(), page.prefixes.end());
        return true;
      },
      [&](const auto& query, HttpResponse& r, std::string& error) {
        return get(bucket, "", query, {}, nullptr, r, error);
      });
}

bool Client::get_range(const std::string& bucket, const std::string& key, std::uint64_t first,
                       std::uint64_t last, std::string& etag, std::string& out,
                       std::uint64_t& total, std::string& error) const {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)}};
  if (!etag.empty()) headers.emplace_back("If-Match", etag);
  HttpResponse r;
  if (!get(bucket, key, {}, headers, nullptr, r, error)) {
    if (r.status == 412) error = "the object changed while it was read; re-run to read it again";
    return false;
  }
  auto it = r.headers.find("etag");
  if (it != r.headers.end()) {
    if (!etag.empty() && etag != it->second) {
      error = "the object changed while it was read; re-run to read it again";
      return false;
    }
    etag = it->second;
  }
  if (r.status == 206) {
    // Content-Range: bytes first-last/total
    auto cr = r.headers.find("content-range");
    const auto slash = cr == r.headers.end() ? std::string::npos : cr->second.rfind('/');
    if (slash == std::string::npos) {
      error = "a partial answer without Content-Range";
      return false;
    }
    total = std::strtoull(cr->second.c_str() + slash + 1, nullptr, 10);
    out += r.body;
    return true;
  }
  // 200: the server sent the whole object (ranges unsupported, or the range covered it all).
  total = r.body.size();
  if (first < r.body.size())
    out.append(r.body, first,
               static_cast<std::size_t>(std::min<std::uint64_t>(last + 1, r.body.size()) - first));
  return true;
}

bool Client::download(const std::string& bucket, const std::string& key, std::FILE* file,
                      std::string& error) const {
  HttpResponse r;
  if (!get(bucket, key, {}, {}, file, r, error)) return false;
  if (std::fflush(file) != 0) {
    error = "cannot write the downloaded object to disk";
    return false;
  }
  return true;
}

}  // namespace dicometl::source::s3
