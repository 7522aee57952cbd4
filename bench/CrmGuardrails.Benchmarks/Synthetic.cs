using System.Globalization;
using System.Text;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Benchmarks;

/// <summary>
/// A seeded generator of accounts, contacts and leads for scale runs. Its vocabulary and variations are its own (not
/// the dev set's): invented syllable names, surnames, brand and industry words, legal forms of several countries.
/// </summary>
internal sealed class Synthetic
{
    private static readonly string[] Surnames = ["Smith", "Johnson", "Okafor", "Nakamura", "Schmidt", "Dubois", "Rossi", "Kowalski", "Silva", "Patel", "Chen", "Larsen", "Novak", "Haddad", "Murphy", "Fischer", "Moreau", "Costa", "Ivanova", "Tanaka", "Lindqvist", "Brennan", "Vasquez", "Ahmed", "Kaur"];
    private static readonly string[] Brands = ["Summit", "Cobalt", "Harbor", "Meridian", "Granite", "Aurora", "Beacon", "Cascade", "Falcon", "Juniper", "Keystone", "Lumen", "Nimbus", "Orchid", "Pinnacle", "Quartz", "Sable", "Tundra", "Vantage", "Willow", "Zephyr", "Atlas", "Bristle", "Copper"];
    private static readonly string[] Industries = ["Logistics", "Analytics", "Foods", "Robotics", "Textiles", "Pharma", "Energy", "Software", "Dental", "Freight", "Brewing", "Optics", "Insurance", "Realty", "Media", "Aerospace", "Plastics", "Consulting", "Security", "Labs"];
    private static readonly string[] Syllables = ["ka", "ro", "zu", "mi", "ten", "lor", "vex", "qui", "dra", "pel", "sor", "nix", "ba", "tul", "gar", "fen", "osh", "ly", "mar", "tek"];
    private static readonly (string Country, string[] Forms, string[] Cities, string Tld, string Prefix)[] Countries =
    [
        ("US", ["Inc.", "LLC", "Corp.", "Incorporated", ""], ["Chicago", "Dallas", "Miami", "Seattle", "Boston", "Tulsa", "Omaha", "Reno"], "com", "+1"),
        ("GB", ["Ltd", "Limited", "PLC", ""], ["London", "Bristol", "Leeds", "York"], "co.uk", "+44"),
        ("DE", ["GmbH", "AG", "GmbH & Co. KG", ""], ["Berlin", "Bremen", "Köln", "München"], "de", "+49"),
        ("FR", ["SA", "SARL", "SAS", ""], ["Lyon", "Lille", "Nantes", "Paris"], "fr", "+33"),
        ("JP", ["K.K.", "Co., Ltd.", "Kabushiki Kaisha", ""], ["Tokyo", "Osaka", "Kobe"], "co.jp", "+81"),
    ];

    private readonly Random _random;
    private readonly HashSet<string> _cores = new(StringComparer.OrdinalIgnoreCase);

    public Synthetic(int seed) => _random = new Random(seed);

    public (List<Account> Accounts, List<Contact> Contacts) Accounts(int count, bool contacts)
    {
        var accounts = new List<Account>(count);
        var people = new List<Contact>(contacts ? count : 0);
        for (var i = 0; i < count; i++)
        {
            var country = Countries[_random.Next(10) < 6 ? 0 : _random.Next(Countries.Length)];
            // Account names are unique here: two accounts with one name make "the right account" a coin toss.
            var core = CoreName();
            while (!_cores.Add(core))
                core = CoreName();
            var form = country.Forms[_random.Next(country.Forms.Length)];
            var domain = Domain(core, i) + "." + country.Tld;
            var phone = country.Prefix + " " + _random.Next(200, 999).ToString(CultureInfo.InvariantCulture) + " " + _random.Next(1000000, 9999999).ToString(CultureInfo.InvariantCulture);
            var account = new Account
            {
                Id = "A" + i.ToString("D7", CultureInfo.InvariantCulture),
                Name = form.Length > 0 ? core + " " + form : core,
                Website = _random.Next(10) < 8 ? "https://www." + domain + "/" : null,
                Phone = _random.Next(10) < 8 ? phone : null,
                Email = _random.Next(10) < 3 ? "info@" + domain : null,
                Street = _random.Next(1, 9999).ToString(CultureInfo.InvariantCulture) + " " + Pick(Brands) + " Street",
                City = Pick(country.Cities),
                PostalCode = _random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture),
                Country = country.Country,
            };
            accounts.Add(account);
            if (contacts)
                people.Add(new Contact { Id = "C" + i.ToString("D7", CultureInfo.InvariantCulture), AccountId = account.Id, FirstName = "Alex", LastName = Pick(Surnames), Email = "alex." + i.ToString(CultureInfo.InvariantCulture) + "@" + domain, Phone = account.Phone is null ? null : account.Phone.Substring(0, account.Phone.Length - 2) + "17" });
        }

        return (accounts, people);
    }

    /// <summary>Leads: about half from existing accounts (written differently), half new companies.</summary>
    public (List<Lead> Leads, Dictionary<string, string> Truth) Leads(IReadOnlyList<Account> accounts, int count)
    {
        var leads = new List<Lead>(count);
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var id = "L" + i.ToString("D7", CultureInfo.InvariantCulture);
            if (_random.Next(2) == 0)
            {
                var account = accounts[_random.Next(accounts.Count)];
                var domain = account.Website is { } w ? w.Replace("https://www.", string.Empty).TrimEnd('/') : account.Email?.Split('@')[1];
                var name = Vary(account.Name);
                leads.Add(new Lead
                {
                    Id = id,
                    FirstName = "Sam",
                    LastName = Pick(Surnames),
                    Company = name,
                    Email = domain is not null && _random.Next(10) < 7 ? "sam" + i.ToString(CultureInfo.InvariantCulture) + "@" + domain : "sam" + i.ToString(CultureInfo.InvariantCulture) + "@gmail.com",
                    Phone = account.Phone is not null && _random.Next(2) == 0 ? account.Phone.Substring(0, account.Phone.Length - 2) + "42" : null,
                    City = _random.Next(2) == 0 ? account.City : null,
                    Country = account.Country,
                });
                truth[id] = account.Id;
            }
            else
            {
                var country = Countries[_random.Next(Countries.Length)];
                // A new company: its name is not an existing account's name (that would be the same company to anyone).
                var core = CoreName();
                while (_cores.Contains(core))
                    core = CoreName();
                leads.Add(new Lead
                {
                    Id = id,
                    FirstName = "Kim",
                    LastName = Pick(Surnames),
                    Company = core + " " + country.Forms[0],
                    Email = "kim" + i.ToString(CultureInfo.InvariantCulture) + "@" + Domain(core, 10_000_000 + i) + "-new." + country.Tld,
                    City = Pick(country.Cities),
                    Country = country.Country,
                });
                truth[id] = string.Empty;
            }
        }

        return (leads, truth);
    }

    public static void WriteCsv(string folder, IReadOnlyList<Account> accounts, IReadOnlyList<Contact> contacts, IReadOnlyList<Lead> leads)
    {
        Directory.CreateDirectory(folder);
        using (var w = new StreamWriter(Path.Combine(folder, "accounts.csv"), false, new UTF8Encoding(false)))
        {
            w.Write("id,name,website,phone,email,street,city,postal_code,country,owner\n");
            foreach (var a in accounts)
                w.Write(string.Join(",", new[] { a.Id, a.Name, a.Website, a.Phone, a.Email, a.Street, a.City, a.PostalCode, a.Country, "u1" }.Select(Quote)) + "\n");
        }

        using (var w = new StreamWriter(Path.Combine(folder, "contacts.csv"), false, new UTF8Encoding(false)))
        {
            w.Write("id,account_id,first_name,last_name,email,phone,owner\n");
            foreach (var c in contacts)
                w.Write(string.Join(",", new[] { c.Id, c.AccountId, c.FirstName, c.LastName, c.Email, c.Phone, "u1" }.Select(Quote)) + "\n");
        }

        using (var w = new StreamWriter(Path.Combine(folder, "leads.csv"), false, new UTF8Encoding(false)))
        {
            w.Write("id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner\n");
            foreach (var l in leads)
                w.Write(string.Join(",", new[] { l.Id, l.FirstName, l.LastName, l.Company, l.Email, l.Phone, l.Website, l.Street, l.City, l.PostalCode, l.Country, "u2" }.Select(Quote)) + "\n");
        }
    }

    private static string Quote(string? value) =>
        value is null ? string.Empty : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private string CoreName()
    {
        switch (_random.Next(3))
        {
            case 0:
                return Pick(Surnames) + " " + Invented() + " " + Pick(Industries);
            case 1:
                return Pick(Brands) + " " + Invented() + " " + Pick(Industries);
            default:
                return Invented() + " " + Pick(Industries);
        }
    }

    private string Invented()
    {
        var sb = new StringBuilder();
        var n = 3 + _random.Next(2);
        for (var i = 0; i < n; i++)
            sb.Append(Pick(Syllables));
        sb[0] = char.ToUpperInvariant(sb[0]);
        return sb.ToString();
    }

    private static string Domain(string core, int salt) =>
        new string(core.ToLowerInvariant().Where(char.IsLetter).ToArray()) + (salt % 7 == 0 ? salt.ToString(CultureInfo.InvariantCulture) : string.Empty);

    private string Vary(string name) => _random.Next(6) switch
    {
        0 => name.ToUpperInvariant(),
        1 => name.Split(' ')[0] + " " + string.Join(" ", name.Split(' ').Skip(1).Take(2)),
        2 => "The " + name,
        3 => name.Replace(" ", "-"),
        4 => name.Length > 6 ? name.Substring(0, 3) + name.Substring(4) : name,
        _ => name,
    };

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
