#include "dicometl/upload/destination.hpp"

#include <charconv>
#include <stdexcept>

namespace dicometl::upload {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

int parse_port(const std::string& text, const std::string& url) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port <= 0 || port > 65535)
    throw std::invalid_argument("bad port in " + url);
  return port;
}

}  // namespace

std::string without_credentials(const std::string& url) {
  const auto split = http::split_userinfo(url);
  // dicom://AET@host keeps its AE title: it is an address, not a secret (no ':' password).
  if (starts_with(url, "dicom://") && split.url != url && split.credentials.password.empty() &&
      url.find(':', 8) > url.find('@'))
    return url;
  return split.url;
}

Destination parse_destination(const std::string& url) {
  Destination d;
  if (starts_with(url, "http://") || starts_with(url, "https://")) {
    d.protocol = Protocol::kDicomWeb;
    // Credentials leave the URL here: every URL built from `base` is safe to print and store.
    auto split = http::split_userinfo(url);
    d.base = std::move(split.url);
    d.credentials = std::move(split.credentials);
    while (!d.base.empty() && d.base.back() == '/') d.base.pop_back();
    if (d.base.find("://") + 3 >= d.base.size())
      throw std::invalid_argument("no host in " + url);
    d.key = d.base;
    return d;
  }
  if (starts_with(url, "dicom://")) {
    d.protocol = Protocol::kDimse;
    std::string rest = url.substr(8);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto at = rest.find('@');
    if (at == std::string::npos || at == 0)
      throw std::invalid_argument("expected dicom://AET@host:port, got " + url);
    d.aet = rest.substr(0, at);
    if (d.aet.size() > 16) throw std::invalid_argument("AE title longer than 16 characters: " + d.aet);
    std::string hostport = rest.substr(at + 1);
    const auto colon = hostport.rfind(':');
    if (colon != std::string::npos && hostport.find(']', colon) == std::string::npos) {
      d.port = parse_port(hostport.substr(colon + 1), url);
      hostport.resize(colon);
    }
    if (hostport.size() > 2 && hostport.front() == '[' && hostport.back() == ']')
      hostport = hostport.substr(1, hostport.size() - 2);
    if (hostport.empty()) throw std::invalid_argument("no host in " + url);
    d.host = hostport;
    d.key = "dicom://" + d.aet + "@" + (d.host.find(':') != std::string::npos ? "[" + d.host + "]" : d.host) +
            ":" + std::to_string(d.port);
    return d;
  }
  throw std::invalid_argument("--to must be http(s)://host/dicom-web or dicom://AET@host:port, got " +
                              without_credentials(url));
}

}  // namespace dicometl::upload
