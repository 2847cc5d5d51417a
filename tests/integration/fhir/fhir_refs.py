"""Reference resolution by FHIR R4's rules, written from the specification (bundle.html
"Resolving references in Bundles", http.html transaction rules), not from dicometl:

- a Bundle entry needs a fullUrl (R4 Bundle.entry.fullUrl: "SHALL have a value" except for POST
  entries and search/operation results; dicometl writes PUT and collection entries); fullUrls are
  unique; a RESTful fullUrl ([base]/Type/id) must agree with the resource's id;
- `#id` resolves to a contained resource of the same resource;
- an absolute reference (urn:uuid:, urn:oid:, http(s)://) resolves to the entry with that fullUrl;
- a relative reference Type/id resolves only from an entry whose fullUrl is RESTful: [base of that
  fullUrl] + Type/id must be an entry's fullUrl. From a urn: fullUrl it "has no defined meaning";
- a Reference without `reference` (identifier and/or display only) is logical: nothing to resolve.
For files and NDJSON (no Bundle), a relative Type/id must name a resource the same run wrote."""
import re

RESTFUL = re.compile(r"^(?P<base>(https?)://([A-Za-z0-9\-\\.:%$]*/)+)?(?P<type>[A-Z][A-Za-z]+)/"
                     r"(?P<id>[A-Za-z0-9\-.]{1,64})(/_history/[A-Za-z0-9\-.]{1,64})?$")
ABSOLUTE = re.compile(r"^(urn:uuid:|urn:oid:|https?://)")


def references(node, path="$"):
    """(path, value) of every Reference.reference below `node`."""
    if isinstance(node, dict):
        if "reference" in node:
            yield path, node["reference"]
        for k, v in node.items():
            yield from references(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from references(v, f"{path}[{i}]")


def _local(resource, ref, where):
    """(handled, problem) for what resolves without other resources: bad values and `#id`."""
    if not isinstance(ref, str) or not ref:
        return True, f"{where}: empty or non-string reference"
    if ref.startswith("#"):
        ok = any(c.get("id") == ref[1:] for c in resource.get("contained", []))
        return True, None if ok else f"{where}: {ref} names no contained resource"
    return False, None


def _outside(resource, ref, where, problems, resolve):
    """Appends the problem with `ref`, using `resolve(ref)` (a problem or None) for non-local ones."""
    handled, problem = _local(resource, ref, where)
    if not handled:
        problem = resolve(ref)
        problem = problem and f"{where}: {problem}"
    if problem:
        problems.append(problem)


def check_bundle(bundle):
    """Problems (strings) of one Bundle: fullUrls and every reference inside its entries."""
    problems = []
    entries = bundle.get("entry", [])
    urls = [e.get("fullUrl") for e in entries]
    for i, (e, url) in enumerate(zip(entries, urls)):
        res = e.get("resource", {})
        tid = f"{res.get('resourceType')}/{res.get('id')}"
        if not url:
            problems.append(f"entry[{i}] {tid}: no fullUrl")
            continue
        m = RESTFUL.match(url)
        if m and m.group("base") and f"{m.group('type')}/{m.group('id')}" != tid:
            problems.append(f"entry[{i}]: fullUrl {url} disagrees with {tid}")
        if not m and not ABSOLUTE.match(url):
            problems.append(f"entry[{i}]: fullUrl {url} is not absolute")
        req = e.get("request")
        if bundle.get("type") in ("transaction", "batch"):
            if not req:
                problems.append(f"entry[{i}]: no request in a {bundle['type']}")
            elif req.get("method") == "PUT" and req.get("url") != tid:
                problems.append(f"entry[{i}]: PUT {req.get('url')} but resource is {tid}")
    if len(set(u for u in urls if u)) != len([u for u in urls if u]):
        problems.append("fullUrls are not unique")
    known = set(u for u in urls if u)
    for i, e in enumerate(entries):
        res, url = e.get("resource", {}), e.get("fullUrl") or ""
        m = RESTFUL.match(url)
        base = m.group("base") if m else None

        def resolve(ref):
            if ABSOLUTE.match(ref):
                return None if ref in known else f"{ref} is no entry's fullUrl"
            if not base:
                return f"relative {ref} from an entry whose fullUrl ({url or 'none'}) is not RESTful has no meaning in R4"
            return None if base + ref in known else f"{base + ref} is no entry's fullUrl"

        for path, ref in references(res):
            _outside(res, ref, f"entry[{i}] {path}", problems, resolve)
    return problems


def apply_transaction(bundle):
    """What an R4 server stores for a transaction of PUT entries: references to an entry's
    fullUrl are replaced by that entry's new identity (its PUT url). Returns {Type/id: resource}."""
    identity = {e["fullUrl"]: e["request"]["url"] for e in bundle["entry"] if e.get("fullUrl")}

    def rewrite(node):
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            if isinstance(out.get("reference"), str) and out["reference"] in identity:
                out["reference"] = identity[out["reference"]]
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    return {e["request"]["url"]: rewrite(e["resource"]) for e in bundle["entry"]}


def check_resources(resources):
    """Problems of resources stored side by side (files, NDJSON, a server after a transaction):
    every literal reference is `#contained` or a Type/id among them."""
    problems = []
    have = {f"{r['resourceType']}/{r['id']}" for r in resources}
    for r in resources:
        for path, ref in references(r):
            _outside(r, ref, f"{r['resourceType']}/{r['id']} {path}", problems,
                     lambda ref: None if ref in have else f"{ref} was not written by this run")
    return problems
