using System.Globalization;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Reduces websites and email addresses to registrable domains with the Public Suffix List, private section included
/// (so <c>foo.myshopify.com</c> and <c>bar.myshopify.com</c> are different companies), and tells free-mail providers.
/// </summary>
internal static class DomainNormalizer
{
    private static readonly Lazy<SuffixRules> Rules = new(BuildRules);
    private static readonly IdnMapping Idn = new();
    private static readonly char[] HostEnds = ['/', '?', '#', ':', ' ', '\\'];
    /// <summary>Platforms where a company's page is a path of the platform's own domain (social networks, reviews, maps, link pages).</summary>
    private static readonly HashSet<string> ProfilePlatforms = new(StringComparer.Ordinal)
    {
        "linkedin.com", "lnkd.in", "facebook.com", "fb.com", "fb.me", "instagram.com", "twitter.com", "x.com", "youtube.com",
        "youtu.be", "tiktok.com", "pinterest.com", "threads.net", "yelp.com", "yelp.co.uk", "yelp.ca", "tripadvisor.com",
        "tripadvisor.co.uk", "google.com", "g.page", "goo.gl", "linktr.ee", "etsy.com", "houzz.com", "nextdoor.com",
        "angi.com", "trustpilot.com", "crunchbase.com", "wa.me", "t.me", "xing.com", "about.me",
    };

    /// <summary>
    /// Website builders that give each site a subdomain but are not in the Public Suffix List: "acme.wordpress.com" is
    /// Acme's, not WordPress's, as "acme.wixsite.com" is by the list.
    /// </summary>
    private static readonly string[] SiteBuilderSuffixes =
    [
        "wordpress.com", "squarespace.com", "weebly.com", "godaddysites.com", "business.site", "jimdosite.com",
        "jimdofree.com", "site123.me", "ueniweb.com", "webnode.page", "strikingly.com", "mystrikingly.com", "yolasite.com",
        "ucraft.site", "tilda.ws", "wixstudio.io",
    ];

    /// <summary>
    /// Government domains under which each agency or council has a host of its own ("cityofsydney.nsw.gov.au",
    /// "dmv.ca.gov"): read as suffixes, so that two agencies of one state are not one organisation. The Australian three
    /// are out of the public suffix list only at their own request (its comments say so); the other states' are in it.
    /// </summary>
    private static readonly string[] GovernmentSuffixes = ["nsw.gov.au", "act.gov.au", "nt.gov.au", "ca.gov", "ny.gov", "texas.gov", "wa.gov"];

    private static readonly char[] EmailListSeparators = [';', ',', ' ', '\t', '\n'];

    /// <summary>Extracts the lower-case host of a website or URL, or the company's page on a platform ("facebook.com/acme"), or empty.</summary>
    public static string HostOfWebsite(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
            return string.Empty;
        var text = MatchText.Sanitize(website!).Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            text = text.Substring(scheme + 3);
        // "user@host" before the path; an "@" in the path is a handle ("tiktok.com/@acme").
        var at = text.IndexOf('@');
        var slash = text.IndexOf('/');
        if (at >= 0 && (slash < 0 || at < slash))
            text = text.Substring(at + 1);
        var end = text.IndexOfAny(HostEnds);
        var path = end >= 0 ? text.Substring(end) : string.Empty;
        if (end >= 0)
            text = text.Substring(0, end);
        var host = CleanHost(text);
        return IsProfilePage(host, path) ? PageOf(host, path) : host;
    }

    /// <summary>Path words that say what kind of page follows, not whose ("linkedin.com/company/…", "yelp.com/biz/…").</summary>
    private static readonly HashSet<string> PageKinds = new(StringComparer.Ordinal)
    {
        "pages", "pg", "page", "company", "companies", "school", "showcase", "in", "shop", "biz", "view", "c", "user", "channel",
        "pro", "review", "organization", "people", "p", "profile", "business", "s", "u", "en", "de", "fr", "es", "us", "uk",
    };

    /// <summary>
    /// The page a company has on a platform, as "platform/page" ("facebook.com/sweetcrumbsbakery" for
    /// "https://m.facebook.com/SweetCrumbsBakery/"): the page is the company's, as a domain is. Empty when the path names
    /// no page ("facebook.com/profile.php?id=…" is left out: an id nobody types twice).
    /// </summary>
    private static string PageOf(string host, string path)
    {
        foreach (var prefix in PagePrefixes)
        {
            if (host.StartsWith(prefix, StringComparison.Ordinal))
                host = host.Substring(prefix.Length);
        }

        host = host switch
        {
            "fb.com" or "fb.me" => "facebook.com",
            "x.com" => "twitter.com",
            _ => host,
        };
        var end = path.IndexOfAny(['?', '#']);
        foreach (var part in (end >= 0 ? path.Substring(0, end) : path).Split(['/'], StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = part.TrimStart('@');
            if (PageKinds.Contains(segment))
                continue;
            return segment.Length < 2 || segment.IndexOf('.') >= 0 ? string.Empty : host + "/" + segment;
        }

        return string.Empty;
    }

    private static readonly string[] PagePrefixes = ["m.", "mobile.", "web.", "business."];

    /// <summary>
    /// Tells whether a website is a company's page on a platform that holds many companies' pages
    /// ("linkedin.com/company/contoso", "yelp.com/biz/…"): the platform's domain is not the company's. The platform's own
    /// site (no page named) is.
    /// </summary>
    private static bool IsProfilePage(string host, string path)
    {
        if (host.Length == 0 || path.Length < 2 || path[0] != '/')
            return false;
        var hasName = false;
        for (var i = 1; i < path.Length && !hasName; i++)
            hasName = char.IsLetterOrDigit(path[i]);
        if (!hasName)
            return false;

        // The platforms are registrable domains of two or three labels: look the host's last two and three up.
        var dot = host.LastIndexOf('.');
        var second = dot > 0 ? host.LastIndexOf('.', dot - 1) : -1;
        if (second < 0)
            return ProfilePlatforms.Contains(host);
        if (ProfilePlatforms.Contains(host.Substring(second + 1)))
            return true;
        var third = second > 0 ? host.LastIndexOf('.', second - 1) : -1;
        return ProfilePlatforms.Contains(third < 0 ? host : host.Substring(third + 1));
    }

    /// <summary>Extracts the lower-case domain of an email address, or empty.</summary>
    public static string HostOfEmail(string? email)
    {
        var normalized = email is { Length: > 0 and <= MatchText.MaxInputLength } && email.IndexOf('@') > 0 && email.IndexOf('@') == email.LastIndexOf('@') && IsNormalized(email) ? email : NormalizeEmail(email);
        var at = normalized.LastIndexOf('@');
        return at >= 0 ? CleanHost(normalized.Substring(at + 1)) : string.Empty;
    }

    /// <summary>Trims and lower-cases an email address; empty unless it has one '@' with text on both sides.</summary>
    public static string NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            return string.Empty;
        var text = FirstAddress(MatchText.Sanitize(email!)).Trim().ToLowerInvariant();
        if (text.StartsWith("mailto:", StringComparison.Ordinal))
            text = text.Substring(7);
        var at = text.IndexOf('@');
        if (at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.IndexOf(' ') >= 0)
            return string.Empty;
        return Mailbox(text, at);
    }

    /// <summary>
    /// The mailbox an address delivers to: without a "+tag" ("jane+crm@acme.com" is jane@acme.com, as Gmail, Outlook
    /// and most servers deliver it), and for Gmail without the dots it ignores ("j.doe@gmail.com" is jdoe@gmail.com,
    /// as is jdoe@googlemail.com).
    /// </summary>
    private static string Mailbox(string address, int at)
    {
        var plus = address.IndexOf('+');
        var localEnd = plus > 0 && plus < at ? plus : at;
        var gmail = address.EndsWith("@gmail.com", StringComparison.Ordinal) || address.EndsWith("@googlemail.com", StringComparison.Ordinal);
        if (localEnd == at && !gmail)
            return address;
        var domain = gmail ? "gmail.com" : address.Substring(at + 1);
        var local = address.Substring(0, localEnd);
        if (gmail)
            local = local.Replace(".", string.Empty);

        var mailbox = local + "@" + domain;
        return local.Length == 0 || mailbox == address ? address : mailbox;
    }

    /// <summary>
    /// The address of a field as mail clients and imports fill it: "Jane Doe &lt;jane@x.com&gt;" is jane@x.com, and of
    /// "a@x.com; b@y.com" the first counts. A plain address is returned as it is.
    /// </summary>
    private static string FirstAddress(string text)
    {
        var open = text.IndexOf('<');
        if (open >= 0)
        {
            var close = text.IndexOf('>', open + 1);
            var at = text.IndexOf('@', open);
            if (at > open && close > at)
                return text.Substring(open + 1, close - open - 1);
        }

        var cut = text.IndexOfAny(EmailListSeparators);
        if (cut < 0)
            return text;
        foreach (var part in text.Split(EmailListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.IndexOf('@') > 0)
                return part;
        }

        return text;
    }

    /// <summary>Returns the registrable domain (public suffix plus one label) of a host, or empty.</summary>
    public static string RegistrableDomain(string host)
    {
        // A company's page on a platform ("facebook.com/sweetcrumbsbakery") is already what identifies it.
        if (host.IndexOf('/') > 0)
            return host;
        host = CleanHost(host);
        if (host.Length == 0 || host.IndexOf('.') < 0 || host.IndexOf("..", StringComparison.Ordinal) >= 0)
            return string.Empty;

        // Label start offsets, right to left, without splitting the host.
        Span<int> starts = stackalloc int[64];
        var count = 0;
        for (var i = host.Length - 1; i >= 0 && count < starts.Length - 1; i--)
        {
            if (host[i] == '.')
                starts[count++] = i + 1;
        }

        starts[count++] = 0;
        var suffixLabels = Rules.Value.PublicSuffixLabelCount(host, starts.Slice(0, count));
        if (suffixLabels >= count)
            return string.Empty;
        var start = starts[suffixLabels];
        return start == 0 ? host : host.Substring(start);
    }

    /// <summary>Tells whether a registrable domain belongs to a free, ISP or disposable mail provider.</summary>
    public static bool IsFreeMail(string domain, ISet<string>? allowList = null) =>
        domain.Length > 0 && (allowList is null || !allowList.Contains(domain)) && ReferenceData.FreeMailDomains.Contains(domain);

    private static bool IsNormalized(string email)
    {
        foreach (var ch in email)
        {
            if (ch is >= 'A' and <= 'Z' or ' ' or > '~' or < '!' or '<' or '>' or ';' or ',')
                return false;
        }

        return true;
    }

    private static string CleanHost(string host)
    {
        host = host.Trim().Trim('.').ToLowerInvariant();
        if (host.Length == 0 || host.Length > 253)
            return string.Empty;
        foreach (var ch in host)
        {
            if (ch > 127)
            {
                try
                {
                    host = Idn.GetAscii(host);
                }
                catch (ArgumentException)
                {
                    return string.Empty;
                }

                break;
            }
        }

        foreach (var ch in host)
        {
            if (!(ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '.' or '_'))
                return string.Empty;
        }

        if (host.StartsWith("www.", StringComparison.Ordinal) && host.Length > 4)
            host = host.Substring(4);
        return host;
    }

    private static SuffixRules BuildRules()
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var wildcard = new HashSet<string>(StringComparer.Ordinal);
        var exception = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ReferenceData.PublicSuffixRules)
        {
            if (line[0] == '#')
                continue;
            var rule = line.ToLowerInvariant();
            try
            {
                rule = Idn.GetAscii(rule.TrimStart('!', '*', '.'));
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (line.StartsWith("!", StringComparison.Ordinal))
                exception.Add(rule);
            else if (line.StartsWith("*.", StringComparison.Ordinal))
                wildcard.Add(rule);
            else
                exact.Add(rule);
        }

        foreach (var suffix in SiteBuilderSuffixes.Concat(GovernmentSuffixes))
            exact.Add(suffix);

        return new SuffixRules(exact, wildcard, exception);
    }

    private sealed class SuffixRules(HashSet<string> exact, HashSet<string> wildcard, HashSet<string> exception)
    {
        /// <summary>Counts the labels of the public suffix (the prevailing rule; "*" when none matches).</summary>
        /// <param name="host">The host.</param>
        /// <param name="starts">Start offsets of the labels, rightmost first.</param>
        public int PublicSuffixLabelCount(string host, ReadOnlySpan<int> starts)
        {
#if NET9_0_OR_GREATER
            // Suffixes are looked up as slices of the host: no string per candidate suffix.
            var exactLookup = exact.GetAlternateLookup<ReadOnlySpan<char>>();
            var wildcardLookup = wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
            var exceptionLookup = exception.GetAlternateLookup<ReadOnlySpan<char>>();
#endif
            var best = 1;
            for (var count = 1; count <= starts.Length; count++)
            {
#if NET9_0_OR_GREATER
                var suffix = host.AsSpan(starts[count - 1]);
                if (exceptionLookup.Contains(suffix))
                    return count - 1;
                if (exactLookup.Contains(suffix))
                    best = Math.Max(best, count);
                if (count < starts.Length && wildcardLookup.Contains(suffix))
                    best = Math.Max(best, count + 1);
#else
                var suffix = count == starts.Length ? host : host.Substring(starts[count - 1]);
                if (exception.Contains(suffix))
                    return count - 1;
                if (exact.Contains(suffix))
                    best = Math.Max(best, count);
                if (count < starts.Length && wildcard.Contains(suffix))
                    best = Math.Max(best, count + 1);
#endif
            }

            return best;
        }
    }
}
