#include "dicometl/source/s3/aws_config.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dicometl::source::s3 {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::string value(const IniFile& ini, const std::string& section, const std::string& key) {
  auto s = ini.find(section);
  if (s == ini.end()) return "";
  auto k = s->second.find(key);
  return k == s->second.end() ? "" : k->second;
}

}  // namespace

std::string process_env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

IniFile parse_ini(const std::string& text) {
  IniFile ini;
  std::string section;
  std::string nested;  // "s3 =" followed by indented sub-keys, stored as "s3.key"
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = trim(t.substr(1, t.size() - 2));
      // "[profile  x]" and "[profile x]" are the same section.
      if (section.rfind("profile", 0) == 0 && section.size() > 7 &&
          (section[7] == ' ' || section[7] == '\t'))
        section = "profile " + trim(section.substr(8));
      ini[section];
      nested.clear();
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos || section.empty()) continue;
    const std::string key = lower(trim(t.substr(0, eq)));
    const std::string val = trim(t.substr(eq + 1));
    if (indented && !nested.empty()) {
      ini[section][nested + "." + key] = val;
      continue;
    }
    nested = val.empty() ? key : "";
    if (nested.empty()) ini[section][key] = val;
  }
  return ini;
}

Endpoint parse_endpoint(const std::string& url) {
  Endpoint ep;
  ep.custom = true;
  const auto sep = url.find("://");
  if (sep == std::string::npos) throw Error("endpoint URL must start with http:// or https://");
  ep.scheme = lower(url.substr(0, sep));
  if (ep.scheme != "http" && ep.scheme != "https")
    throw Error("endpoint URL must start with http:// or https://");
  std::string rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    ep.base_path = rest.substr(slash);
    while (!ep.base_path.empty() && ep.base_path.back() == '/') ep.base_path.pop_back();
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string::npos)
    throw Error("endpoint URL must not hold credentials: use the AWS variables or files");
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string::npos) throw Error("endpoint URL has a bad IPv6 address");
    ep.host = rest.substr(0, close + 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') ep.port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    ep.host = rest.substr(0, colon);
    if (colon != std::string::npos) ep.port = rest.substr(colon + 1);
  }
  if ((ep.scheme == "http" && ep.port == "80") || (ep.scheme == "https" && ep.port == "443"))
    ep.port.clear();
  if (ep.host.empty()) throw Error("endpoint URL has no host");
  return ep;
}

Config resolve_config(const Options& options, const GetEnv& env) {
  Config cfg;
  cfg.path_style = options.path_style;
  cfg.max_attempts = std::max(1, options.max_attempts);
  cfg.base_delay_ms = std::max(0, options.base_delay_ms);
  cfg.page_size = std::clamp(options.page_size, 1, 1000);

  const std::string home = env("HOME");
  std::string config_path = env("AWS_CONFIG_FILE");
  if (config_path.empty() && !home.empty()) config_path = home + "/.aws/config";
  std::string creds_path = env("AWS_SHARED_CREDENTIALS_FILE");
  if (creds_path.empty() && !home.empty()) creds_path = home + "/.aws/credentials";
  std::string text;
  const IniFile config = read_file(config_path, text) ? parse_ini(text) : IniFile{};
  const IniFile creds = read_file(creds_path, text) ? parse_ini(text) : IniFile{};

  const bool explicit_profile = !options.profile.empty();
  std::string profile = explicit_profile ? options.profile : env("AWS_PROFILE");
  const bool named_profile = !profile.empty();
  if (profile.empty()) profile = "default";
  const std::string config_section = profile == "default" ? "default" : "profile " + profile;
  if (named_profile && !config.count(config_section) && !creds.count(profile))
    throw Error("AWS profile '" + profile + "' not found in " + config_path + " or " + creds_path);
  auto setting = [&](const char* key) {
    std::string v = value(creds, profile, key);
    return v.empty() ? value(config, config_section, key) : v;
  };

  // Credentials: a profile named on the command line wins over the environment (as in the AWS
  // CLI); otherwise the environment, then the profile's files.
  const std::string env_key = env("AWS_ACCESS_KEY_ID"), env_secret = env("AWS_SECRET_ACCESS_KEY");
  if (!explicit_profile && !env_key.empty() && !env_secret.empty()) {
    cfg.credentials = {env_key, env_secret, env("AWS_SESSION_TOKEN")};
  } else {
    cfg.credentials = {setting("aws_access_key_id"), setting("aws_secret_access_key"),
                       setting("aws_session_token")};
  }

  cfg.region = options.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (cfg.region.empty()) cfg.region = env(name);
  if (cfg.region.empty()) cfg.region = value(config, config_section, "region");
  if (cfg.region.empty()) cfg.region = "us-east-1";

  std::string endpoint = options.endpoint_url;
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"})
    if (endpoint.empty()) endpoint = env(name);
  if (endpoint.empty()) endpoint = value(config, config_section, "endpoint_url");
  if (!endpoint.empty()) {
    cfg.endpoint = parse_endpoint(endpoint);
  } else {
    cfg.endpoint.host = "s3." + cfg.region + ".amazonaws.com";
  }
  if (lower(value(config, config_section, "s3.addressing_style")) == "path") cfg.path_style = true;
  return cfg;
}

}  // namespace dicometl::source::s3
