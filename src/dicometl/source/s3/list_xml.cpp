#include "dicometl/source/s3/list_xml.hpp"

#include <expat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <vector>

#include "dicometl/source/s3/s3_url.hpp"

namespace dicometl::source::s3 {

namespace {

// Expat, reduced to what S3's answers need: each element's local name (namespaces dropped), its
// depth, and the text directly inside it (entities, character references and CDATA decoded,
// comments and processing instructions ignored) when it ends.
class Leaves {
 public:
  using OnEnd = std::function<void(const std::vector<std::string>& path, const std::string& text)>;
  explicit Leaves(OnEnd on_end) : on_end_(std::move(on_end)) {}

  bool parse(const std::string& xml, std::string& error) {
    XML_Parser p = XML_ParserCreateNS(nullptr, '\x01');
    if (!p) {
      error = "out of memory";
      return false;
    }
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, &Leaves::start, &Leaves::end);
    XML_SetCharacterDataHandler(p, &Leaves::chars);
    const bool ok =
        XML_Parse(p, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
    if (!ok)
      error = std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(p)) + " at line " +
              std::to_string(XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
    return ok;
  }

 private:
  static void start(void* self, const XML_Char* name, const XML_Char**) {
    auto* l = static_cast<Leaves*>(self);
    std::string local(name);
    if (const auto sep = local.rfind('\x01'); sep != std::string::npos) local.erase(0, sep + 1);
    l->path_.push_back(std::move(local));
    l->text_.emplace_back();
  }
  static void end(void* self, const XML_Char*) {
    auto* l = static_cast<Leaves*>(self);
    l->on_end_(l->path_, l->text_.back());
    l->path_.pop_back();
    l->text_.pop_back();
  }
  static void chars(void* self, const XML_Char* s, int len) {
    auto* l = static_cast<Leaves*>(self);
    if (!l->text_.empty()) l->text_.back().append(s, static_cast<std::size_t>(len));
  }

  OnEnd on_end_;
  std::vector<std::string> path_;
  std::vector<std::string> text_;
};

}  // namespace

bool parse_iso8601(const std::string& text, std::int64_t& ns) {
  int y, mo, d, h, mi;
  double s;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf", &y, &mo, &d, &h, &mi, &s) != 6)
    return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = 0;
  const std::time_t t = timegm(&tm);
  // Milliseconds at most: keep them exact (a double of seconds would round 0.1 s).
  const auto ms = static_cast<std::int64_t>(s * 1000.0 + 0.5);
  ns = static_cast<std::int64_t>(t) * 1000000000LL + ms * 1000000LL;
  return true;
}

std::int64_t change_key_ns(std::int64_t last_modified_ns, const std::string& etag) {
  if (etag.empty()) return last_modified_ns;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across runs and machines
  for (unsigned char c : etag) h = (h ^ c) * 1099511628211ULL;
  const std::int64_t ms = last_modified_ns - last_modified_ns % 1000000;
  return ms + static_cast<std::int64_t>(h % 1000000);
}

bool parse_list_page(const std::string& xml, ListPage& page, std::string& error) {
  page = ListPage{};
  bool is_list = false, url_encoded = false, has_token = false;
  ObjectEntry obj;
  bool has_key = false, bad_key = false, bad_time = false;
  Leaves leaves([&](const std::vector<std::string>& path, const std::string& text) {
    if (path[0] != "ListBucketResult") return;
    is_list = true;
    if (path.size() == 2) {
      const std::string& name = path[1];
      if (name == "EncodingType")
        url_encoded = text == "url";
      else if (name == "IsTruncated")
        page.truncated = text == "true";
      else if (name == "NextContinuationToken")
        page.next_token = text, has_token = true;
      else if (name == "Contents") {
        bad_key = bad_key || !has_key;
        page.objects.push_back(std::move(obj));
        obj = ObjectEntry{};
        has_key = false;
      }
    } else if (path.size() == 3 && path[1] == "CommonPrefixes" && path[2] == "Prefix") {
      page.prefixes.push_back(text);  // <CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes>
    } else if (path.size() == 3 && path[1] == "Contents") {
      const std::string& name = path[2];
      if (name == "Key")
        obj.key = text, has_key = true;
      else if (name == "Size")
        obj.size = std::strtoull(text.c_str(), nullptr, 10);
      else if (name == "LastModified")
        bad_time = bad_time || !parse_iso8601(text, obj.mtime_ns);
      else if (name == "ETag")
        obj.etag = text;
    }
  });
  std::string parse_error;
  if (!leaves.parse(xml, parse_error) || !is_list) {
    error = is_list ? "not a ListObjectsV2 answer: " + parse_error : "not a ListObjectsV2 answer";
    page = ListPage{};
    return false;
  }
  if (bad_key) {
    error = "an object without a key in the listing";
    return false;
  }
  if (bad_time) {
    error = "bad LastModified in the listing";
    return false;
  }
  // EncodingType may come after the keys it describes: decode at the end.
  if (url_encoded) {
    for (auto& o : page.objects) o.key = url_decode_plus(o.key);
    for (auto& prefix : page.prefixes) prefix = url_decode_plus(prefix);
  }
  if (page.truncated && (!has_token || page.next_token.empty())) {
    error = "a truncated listing without a continuation token";
    return false;
  }
  return true;
}

std::string parse_error_body(const std::string& xml) {
  std::string code, message;
  Leaves leaves([&](const std::vector<std::string>& path, const std::string& text) {
    if (path.size() != 2 || path[0] != "Error") return;
    if (path[1] == "Code")
      code = text;
    else if (path[1] == "Message")
      message = text;
  });
  std::string error;
  if (!leaves.parse(xml, error) || code.empty()) return "";
  return message.empty() ? code : code + ": " + message;
}

}  // namespace dicometl::source::s3
