#include "dicometl/source/s3/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "dicometl/source/s3/s3_url.hpp"

namespace dicometl::source::s3 {

namespace {

constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string to_hex(const unsigned char* data, unsigned len) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += hex[data[i] >> 4];
    out += hex[data[i] & 15];
  }
  return out;
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Header values in canonical form: trimmed, runs of spaces folded to one.
std::string trim_fold(const std::string& v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return to_hex(out, len);
}

std::string canonical_query(std::vector<std::pair<std::string, std::string>> query) {
  for (auto& [k, v] : query) {
    k = uri_encode(k, false);
    v = uri_encode(v, false);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string canonical_request(const RequestToSign& req,
                              const std::vector<std::pair<std::string, std::string>>& all_headers,
                              std::string& signed_headers) {
  std::vector<std::pair<std::string, std::string>> h;
  for (const auto& [k, v] : all_headers) h.emplace_back(lower(k), trim_fold(v));
  std::sort(h.begin(), h.end());
  std::string text = req.method + "\n" + (req.path.empty() ? "/" : req.path) + "\n" +
                     canonical_query(req.query) + "\n";
  signed_headers.clear();
  for (const auto& [k, v] : h) {
    text += k + ":" + v + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += k;
  }
  text += "\n" + signed_headers + "\n" +
          (req.payload_sha256.empty() ? kEmptySha256 : req.payload_sha256);
  return text;
}

std::vector<std::string> sign_v4(const RequestToSign& req, const Credentials& creds,
                                 const std::string& region, const std::string& amz_date) {
  const std::string payload = req.payload_sha256.empty() ? kEmptySha256 : req.payload_sha256;
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Host", req.host}, {"x-amz-content-sha256", payload}, {"x-amz-date", amz_date}};
  if (!creds.session_token.empty())
    headers.emplace_back("x-amz-security-token", creds.session_token);
  for (const auto& h : req.headers) headers.push_back(h);

  std::vector<std::string> out;
  for (const auto& [k, v] : headers) out.push_back(k + ": " + v);
  if (creds.empty()) return out;  // anonymous access (public buckets): nothing to sign

  std::string signed_headers;
  const std::string creq = canonical_request(req, headers, signed_headers);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = date + "/" + region + "/s3/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + sha256_hex(creq);
  std::string key = hmac("AWS4" + creds.secret_access_key, date);
  key = hmac(key, region);
  key = hmac(key, "s3");
  key = hmac(key, "aws4_request");
  const std::string sig = hmac(key, to_sign);
  out.push_back("Authorization: AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" + scope +
                ", SignedHeaders=" + signed_headers + ", Signature=" +
                to_hex(reinterpret_cast<const unsigned char*>(sig.data()),
                       static_cast<unsigned>(sig.size())));
  return out;
}

std::string amz_date_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace dicometl::source::s3
