using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class DomainNormalizerTests
{
    [Theory]
    [InlineData("https://www.fairviewtravel.net/en/", "fairviewtravel.net")]
    [InlineData("andersonjohnson.io/en/", "andersonjohnson.io")]
    [InlineData("HTTP://Shop.Example.CO.UK:8080/path?q=1", "example.co.uk")]
    [InlineData("ruralpower.com.br", "ruralpower.com.br")]
    [InlineData("mail.redwood-group.co.jp", "redwood-group.co.jp")]
    public void RegistrableDomain_Websites_UseThePublicSuffixList(string website, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.RegistrableDomain(DomainNormalizer.HostOfWebsite(website)));
    }

    [Fact]
    public void RegistrableDomain_PrivateSection_SeparatesTenants()
    {
        var foo = DomainNormalizer.RegistrableDomain("foo.myshopify.com");
        var bar = DomainNormalizer.RegistrableDomain("bar.myshopify.com");
        Assert.Equal("foo.myshopify.com", foo);
        Assert.Equal("bar.myshopify.com", bar);
        Assert.Equal("acme.github.io", DomainNormalizer.RegistrableDomain("www.acme.github.io"));
    }

    [Theory]
    [InlineData("cityofsydney.nsw.gov.au", "cityofsydney.nsw.gov.au")]
    [InlineData("www.health.nsw.gov.au", "health.nsw.gov.au")]
    [InlineData("dmv.ca.gov", "dmv.ca.gov")]
    [InlineData("tdi.texas.gov", "tdi.texas.gov")]
    [InlineData("brisbane.qld.gov.au", "brisbane.qld.gov.au")]
    [InlineData("usda.gov", "usda.gov")]
    public void RegistrableDomain_AgencyUnderAStateGovernmentDomain_IsItsOwn(string host, string expected)
    {
        // Not the state's: two agencies of one state are two organisations.
        Assert.Equal(expected, DomainNormalizer.RegistrableDomain(host));
    }

    [Theory]
    [InlineData("com", "")]
    [InlineData("co.uk", "")]
    [InlineData("example", "")]
    [InlineData("b.example.example", "example.example")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    [InlineData("", "")]
    [InlineData("a..b.com", "")]
    public void RegistrableDomain_PslTestVectors_AreHonoured(string host, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.RegistrableDomain(host));
    }

    [Theory]
    [InlineData(" Joshua.Parker@BrooksideHoldings.io ", "brooksideholdings.io")]
    [InlineData("mailto:x@y.example.com", "example.com")]
    [InlineData("not an email", "")]
    [InlineData("a@b@c.com", "")]
    public void HostOfEmail_Addresses_GiveTheirDomain(string email, string expectedRegistrable)
    {
        Assert.Equal(expectedRegistrable, DomainNormalizer.RegistrableDomain(DomainNormalizer.HostOfEmail(email)));
    }

    [Theory]
    [InlineData("gmail.com", true)]
    [InlineData("outlook.com", true)]
    [InlineData("web.de", true)]
    [InlineData("telia.com", true)]
    [InlineData("kabsi.at", true)]
    [InlineData("telenor.no", false)]
    [InlineData("brooksideholdings.io", false)]
    public void IsFreeMail_KnownProviders_AreFree(string domain, bool expected)
    {
        Assert.Equal(expected, DomainNormalizer.IsFreeMail(domain));
    }

    [Fact]
    public void IsFreeMail_AllowListedProvider_CountsAsCompany()
    {
        Assert.True(DomainNormalizer.IsFreeMail("yahoo.com"));
        Assert.False(DomainNormalizer.IsFreeMail("yahoo.com", new HashSet<string> { "yahoo.com" }));
    }

    [Theory]
    [InlineData("jane+crm@harborview.com", "jane@harborview.com")]
    [InlineData("Jane.Doe+Newsletter@Harborview.com", "jane.doe@harborview.com")]
    [InlineData("j.doe@gmail.com", "jdoe@gmail.com")]
    [InlineData("J.Doe+work@googlemail.com", "jdoe@gmail.com")]
    [InlineData("jdoe@gmail.com", "jdoe@gmail.com")]
    [InlineData("+1234@harborview.com", "+1234@harborview.com")]
    [InlineData("j.doe@outlook.com", "j.doe@outlook.com")]
    public void NormalizeEmail_TagsAndGmailDots_AreTheSameMailbox(string typed, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.NormalizeEmail(typed));
    }

    [Theory]
    [InlineData("Jane Doe <Jane.Doe@Harborview-Dental.com>", "jane.doe@harborview-dental.com")]
    [InlineData("\"Doe, Jane\" <jane@harborview.com>", "jane@harborview.com")]
    [InlineData("jane@harborview.com; bob@harborview.com", "jane@harborview.com")]
    [InlineData("jane@harborview.com, bob@other.com", "jane@harborview.com")]
    [InlineData("mailto:jane@harborview.com", "jane@harborview.com")]
    [InlineData("jane @harborview.com", "")]
    [InlineData("<>", "")]
    public void NormalizeEmail_AsMailClientsFillIt_GivesTheFirstAddress(string typed, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.NormalizeEmail(typed));
        Assert.Equal(expected.Length == 0 ? string.Empty : expected.Substring(expected.IndexOf('@') + 1), DomainNormalizer.HostOfEmail(typed));
    }

    [Theory]
    [InlineData("https://www.linkedin.com/company/main-street-barbers", "linkedin.com/main-street-barbers")]
    [InlineData("linkedin.com/in/jane-doe", "linkedin.com/jane-doe")]
    [InlineData("http://facebook.com/rosiesbakery/", "facebook.com/rosiesbakery")]
    [InlineData("https://m.facebook.com/RosiesBakery?ref=page_internal", "facebook.com/rosiesbakery")]
    [InlineData("fb.com/rosiesbakery", "facebook.com/rosiesbakery")]
    [InlineData("https://www.instagram.com/@rosiesbakery/", "instagram.com/rosiesbakery")]
    [InlineData("https://www.yelp.com/biz/rosies-bakery-portland", "yelp.com/rosies-bakery-portland")]
    [InlineData("https://sites.google.com/view/clearwaterpools", "sites.google.com/clearwaterpools")]
    [InlineData("https://g.page/rosies-bakery", "g.page/rosies-bakery")]
    [InlineData("https://www.facebook.com/profile.php?id=100063", "")]
    [InlineData("https://www.linkedin.com/", "linkedin.com")]
    [InlineData("linkedin.com", "linkedin.com")]
    [InlineData("https://contoso.com/about-us", "contoso.com")]
    public void HostOfWebsite_PageOnAPlatformOfManyCompanies_IsThePageNotThePlatform(string website, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.RegistrableDomain(DomainNormalizer.HostOfWebsite(website)));
    }

    [Theory]
    [InlineData("rosiesbakery.wordpress.com", "rosiesbakery.wordpress.com")]
    [InlineData("www.mainstbarbers.squarespace.com", "mainstbarbers.squarespace.com")]
    [InlineData("acme.business.site", "acme.business.site")]
    [InlineData("wordpress.com", "")]
    public void RegistrableDomain_SiteBuilderSubdomain_IsTheSitesOwn(string host, string expected)
    {
        Assert.Equal(expected, DomainNormalizer.RegistrableDomain(host));
    }
}
