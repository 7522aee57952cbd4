using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Normalization;

namespace CrmGuardrails.Tests.Matching.Normalization;

public class CompanyNameNormalizerTests
{
    [Theory]
    [InlineData("Brookside Holdings Co.", "brookside holding")]
    [InlineData("Nguyen & Collins GmbH & Co. KG", "nguyen and collins")]
    [InlineData("Nguyen and Collins", "nguyen and collins")]
    [InlineData("Anderson & Johnson L.L.C.", "anderson and johnson")]
    [InlineData("Ironwood Summit Wind Co., Ltd.", "ironwood summit wind")]
    [InlineData("Harris Apparel, Kabushiki Kaisha", "harris apparel")]
    [InlineData("Urban Pioneer Dynamics Pty. Ltd.", "urban pioneer dynamics")]
    [InlineData("Silver Harbor Oil SA", "silver harbor oil")]
    [InlineData("Müller Bäckerei GmbH", "muller bakery")]
    [InlineData("Straße Bau AG", "strasse construction")]
    [InlineData("ＡＣＭＥ Ｉｎｃ", "acme")]
    [InlineData("Kowalski Sp. z o.o.", "kowalski")]
    [InlineData("شركة النور للتجارة العامة ذ.م.م", "lnwr trade general")]
    [InlineData("النور للتجارة العامة", "lnwr trade general")]
    [InlineData("شركة الجوهري للصلب ش.م.م", "ljwhry steel")]
    [InlineData("شركة النور للتجارة العامه ذ م م", "lnwr trade general")]
    [InlineData("שמעוני הנדסה ובניה בע\"מ", "smvny eng vvnyh")]
    [InlineData("شرکت فولاد سپاهان (سهامی خاص)", "steel sphn")]
    [InlineData("บริษัท สยามเจริญพาณิชย์ จำกัด", "syamechriy commerce")]
    [InlineData("บริษัท ไทยศรีสวัสดิ์อุตสาหกรรม จำกัด (มหาชน)", "aithysriswasdi industry")]
    [InlineData("शर्मा ट्रेडर्स प्राइवेट लिमिटेड", "srma trade")]
    [InlineData("महालक्ष्मी फूड्स प्रा. लि.", "mhalksmi food")]
    [InlineData("შპს „კავკასიის ღვინო“", "kavkasiis ghvino")]
    [InlineData("«Արարատ Շին» ՍՊԸ", "ararat shin")]
    [InlineData("Al Khaleej Marine Services W.L.L.", "al khaleej maritime service")]
    [InlineData("Ets Boukhalfa Frères", "boukhalfa bros")]
    [InlineData("Impianti Elettrici Esposito Gennaro S.r.l.s.", "impianti electric esposito gennaro")]
    [InlineData("Bianchi Marco & C. snc", "bianchi marco")]
    [InlineData("Dupont et Cie", "dupont")]
    [InlineData("Alpentech Solutions UG (haftungsbeschränkt)", "alpentech solution")]
    [InlineData("Padaria e Confeitaria São Jorge Ltda. ME", "bakery and confeitaria sao jorge")]
    [InlineData("Công ty TNHH Phước Thành", "phuoc thanh")]
    [InlineData("Công ty Cổ phần Logistics An Phú", "logistics an phu")]
    [InlineData("Công ty TNHH MTV Thiên Ân", "thien an")]
    [InlineData("CTCP Thiên Ân", "thien an")]
    [InlineData("(有)あけぼの配線", "akebono pei xian")]
    [InlineData("有限会社あけぼの配線", "akebono pei xian")]
    [InlineData("あけぼの配線㈱", "akebono pei xian")]
    [InlineData("（株）あけぼの配線", "akebono pei xian")]
    [InlineData("PT Semen Gresik (Persero) Tbk", "semen gresik")]
    [InlineData("Kesselbrunnen-Apotheke Inh. Jörg Siewert e.K.", "kesselbrunnen pharmacy")]
    [InlineData("Bäckerei Vogt Inhaberin Anja Vogt", "bakery vogt")]
    [InlineData("深圳市沛禾电子有限公司", "pei he electronic")]
    [InlineData("乐清市柳市镇德欣电器厂", "de xin electric chang")]
    [InlineData("长沙湘拓电子科技有限公司", "chang sha xiang tuo electronic tech")]
    [InlineData("태온전자 주식회사", "taeon electronic")]
    [InlineData("Taeon Electronics Co., Ltd.", "taeon electronic")]
    [InlineData("ミネハラ電機株式会社", "minehara electric")]
    [InlineData("Công ty TNHH Linh Kiện Điện Tử Phước Thành", "components electronic phuoc thanh")]
    [InlineData("Vina Components JSC", "vina components")]
    [InlineData("Laboratorios Clínicos Bioandina S.A.C.", "lab clinicos bioandina")]
    [InlineData("台大醫院", "tai da hospital")]
    [InlineData("서울대학교", "seoul university")]
    [InlineData("Bệnh viện Chợ Rẫy", "hospital cho ray")]
    [InlineData("BIOANDINA SAC RUC 20512349871", "bioandina")]
    [InlineData("Tecnoandes S.A. NIT 900.123.456-7", "tecnoandes")]
    [InlineData("Okonkwo Ventures Nig. Ltd RC 712345", "okonkwo venture")]
    [InlineData("The Archer Project (Reg. Charity No. 1124463)", "archer project")]
    [InlineData("Archer Project (1124463)", "archer project")]
    [InlineData("The Trussell Trust (Registered Charity 1110522)", "trussell trust")]
    [InlineData("Walgreens (12345)", "walgreens 12345")]
    [InlineData("Route 66 Diner", "route 66 diner")]
    [InlineData("Bluewave Water Treatment FZCO", "bluewave water treatment")]
    [InlineData("Gulf Horizon Trading FZE", "gulf horizon trade")]
    [InlineData("Al Noor Logistics DMCC", "al noor logistics")]
    [InlineData("Burgan Medical Q.P.S.C.", "burgan medical")]
    [InlineData("Sohar Steel S.P.C.", "sohar steel")]
    [InlineData("Agropecuaria San Isidro SPR de RL", "agriculture san isidro")]
    [InlineData("Najd Cement Co. (Closed Joint Stock)", "najd cement")]
    public void Normalize_LegalFormsAndUnicode_AreFolded(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Theory]
    [InlineData("國立臺灣大學 電機工程學系", true)]
    [InlineData("Bioandina Sede Surco", true)]
    [InlineData("Poltavamedsklo Filiala Chisinau", true)]
    [InlineData("株式会社ホクト　大阪支店", true)]
    [InlineData("성진전자㈜ 온양사업장", true)]
    [InlineData("서울대학교 반도체공동연구소", true)]
    [InlineData("國立臺灣大學", false)]
    [InlineData("주식회사 이화식품", false)]
    [InlineData("한국 전자 산업", false)]
    public void Normalize_SpaceInAChineseOrJapaneseNameOrBeforeAKoreanSiteWord_SeparatesTheSite(string raw, bool site)
    {
        // Chinese and Japanese write no spaces between words; Korean spaces its words, so only a site's word says so.
        Assert.Equal(site, CompanyNameNormalizer.Normalize(raw).HasSite);
    }

    [Theory]
    [InlineData("The Lexti Holdings LLC", "lexti holding")]
    [InlineData("apple pan  the", "apple pan")]
    [InlineData("Belvedere, The", "belvedere")]
    [InlineData("The", "the")]
    public void Normalize_LeadingOrTrailingThe_IsDropped(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Fact]
    public void MatchAccount_RegionThatIsPartOfTheName_StillTellsTwoBanksApart()
    {
        // "Bank of America" once read as "bank", as "Bank of Asia" did: one generic word, the same for both.
        var matcher = RecordMatcher.CreateDefault();
        var asia = new Account { Id = "boa", Name = "Bank of Asia", City = "Chicago", Country = "US", OwnerId = "u1" };

        var match = matcher.MatchAccount(new Lead { Company = "Bank of America", City = "Chicago", Country = "US" }, [asia], []);

        Assert.True(match is null || match.Score < MatchScoreBands.Flag, $"score {match?.Score}");
    }

    [Theory]
    [InlineData("River Cloud - EMEA", "river cloud")]
    [InlineData("Hill Mining - North America", "hill mining")]
    [InlineData("Greenfield Construction UK Ltd", "greenfield construction")]
    [InlineData("Acme GmbH Deutschland", "acme")]
    [InlineData("Roberts & Chen Ltda. International", "roberts and chen")]
    [InlineData("Infosys Ltd India", "infosys")]
    [InlineData("Compañía Telefónica de España S.A.", "co telefonica de espana")]
    [InlineData("新竹光電股份有限公司", "xin zhu guang dian")]
    [InlineData("東莞製造有限公司", "dong guan manufacturing")]
    [InlineData("宮本酒造株式会社", "gong ben jiu zao")]
    [InlineData("Общество с ограниченной ответственностью «Вектор»", "vektor")]
    [InlineData("Публичное акционерное общество «Вектор»", "vektor")]
    [InlineData("Товариство з обмеженою відповідальністю «Вектор»", "vektor")]
    [InlineData("Акционерное общество", "aktsionernoe org")]
    [InlineData("Thumbs Up Ltd", "thumbs up")]
    [InlineData("Bank of India", "bank of india")]
    [InlineData("Bank of America", "bank of america")]
    [InlineData("Bank of America Corp", "bank of america")]
    [InlineData("American Bank of Asia", "american bank of asia")]
    [InlineData("Contoso UK", "contoso")]
    public void Normalize_DivisionSuffix_IsDropped(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(raw).Core);
    }

    [Theory]
    [InlineData("Spago (Las Vegas)", "spago", "spago las vegas")]
    [InlineData("Henry Booth House - Taylor Day School", "henry booth house", "henry booth house taylor day school")]
    [InlineData("Stone Builders Association – Eastside Centre", "stone builders assoc", "stone builders assoc eastside center")]
    [InlineData("Lakeside Centre (Intl Apparel)", "lakeside center", "lakeside center intl apparel")]
    [InlineData("Walgreens #1234", "walgreens", "walgreens 1234")]
    [InlineData("Walgreens # 1234", "walgreens", "walgreens 1234")]
    [InlineData("CVS Pharmacy Store 4521", "cvs pharmacy", "cvs pharmacy 4521")]
    [InlineData("Walgreens - Store #1234", "walgreens", "walgreens 1234")]
    [InlineData("Starbucks Location 12 Downtown", "starbucks", "starbucks 12 downtown")]
    [InlineData("Sparkasse KölnBonn Filiale Bad Godesberg", "sparkasse kolnbonn", "sparkasse kolnbonn bad godesberg")]
    [InlineData("PT Karya Elektrindo Tbk Cabang Surabaya", "karya elektrindo", "karya elektrindo surabaya")]
    [InlineData("Pekao SA Oddział Kraków", "pekao", "pekao krakow")]
    [InlineData("Bioandina - Sede Trujillo", "bioandina", "bioandina trujillo")]
    [InlineData("Malmö stad, Miljöförvaltningen", "malmo stad", "malmo stad miljoforvaltningen")]
    [InlineData("Eastwold University, School of Life Sciences", "eastwold university", "eastwold university school of life scientific")]
    public void Normalize_SitePart_IsKeptApartFromTheOrganisation(string raw, string organisation, string all)
    {
        var name = CompanyNameNormalizer.Normalize(raw);
        Assert.True(name.HasSite);
        Assert.Equal(organisation, string.Join(" ", name.Tokens.Take(name.HeadCount)));
        Assert.Equal(all, name.Core);
    }

    [Theory]
    [InlineData("C# Developers Ltd")]
    [InlineData("Storefront 24 Inc")]
    [InlineData("Studio 54")]
    [InlineData("The Branch Office")]
    [InlineData("Smith, Jones & Partners LLP")]
    [InlineData("Company, The")]
    public void Normalize_NumberOrStoreWordThatIsNoStoreNumber_NamesNoSite(string raw)
    {
        Assert.False(CompanyNameNormalizer.Normalize(raw).HasSite);
    }

    [Fact]
    public void Canonical_EveryWordOfTheSynonymTables_ReadsAsItsGroupsOneWord()
    {
        // A group named by a word another group holds would leave its words apart from that group's.
        var chained = ReferenceData.OrgSynonyms
            .Select(line => MatchText.Fold(line.Split('\t')[0]))
            .Where(word => word.Length > 0 && CompanyNameNormalizer.Canonical(CompanyNameNormalizer.Canonical(word)) != CompanyNameNormalizer.Canonical(word))
            .ToList();

        Assert.Empty(chained);
    }

    [Theory]
    [InlineData("Intl Apparel", "International Apparel")]
    [InlineData("Stone Builders Assn", "Stone Builders Association")]
    [InlineData("Gruen und Soehne", "Grün & Söhne KG")]
    [InlineData("Holmqvist och Söner", "Holmqvist & Söner AB")]
    [InlineData("OTTICA FERRARO SAS P.IVA 05123480723", "Ottica Ferraro di Ferraro Giuseppe & C. s.a.s.")]
    [InlineData("Lakeside Ctr", "Lakeside Centre")]
    [InlineData("Distribuciones Eléctricas Fdez. S.L.", "Distribuciones Electricas Fernandez SL")]
    [InlineData("Al Noor Trdg Co", "Al Noor Trading Company")]
    [InlineData("Acme Constr. & Ind. Serv.", "Acme Construction & Industrial Services")]
    [InlineData("Hnos. Glez. Equip.", "Hermanos Gonzalez Equipment")]
    [InlineData("Sthn Cross Mfg & Svcs", "Southern Cross Manufacturing & Services")]
    [InlineData("Natl Hosp Mktg Mgmt", "National Hospital Marketing Management")]
    [InlineData("Gulf Horizon Facilities Mgt", "Gulf Horizon Facilities Management")]
    [InlineData("Coml Engg Distrib", "Commercial Engineering Distribution")]
    [InlineData("Mairie de Vauclerc", "Ville de Vauclerc")]
    [InlineData("Ayto. de Villanueva del Prado", "Ayuntamiento de Villanueva del Prado")]
    [InlineData("Gemeindeverwaltung Rabenau", "Gemeinde Rabenau")]
    public void Normalize_ShortFormsAndSynonyms_ReadAsOneWord(string a, string b)
    {
        var x = CompanyNameNormalizer.Normalize(a);
        var y = CompanyNameNormalizer.Normalize(b);
        Assert.True(x.Core == y.Core || x.Core == y.Alternative?.Core, $"'{x.Core}' vs '{y.Core}' / '{y.Alternative?.Core}'");
    }

    [Theory]
    [InlineData("Haddad Brothers Metal Industries", "Frères Haddad Industries Métalliques")]
    [InlineData("Pharmaceutical Industries", "للصناعات الدوائية")]
    [InlineData("Golden Gulf General Trading", "Golden Gulf للتجارة العامة")]
    [InlineData("Georgiev & Sons", "Georgiev i Sinove")]
    [InlineData("Kavir Steel Pipe", "Kavir فولاد لوله")]
    public void Normalize_TradeWordsInAnotherLanguage_ReadAsTheSameWords(string a, string b)
    {
        Assert.Equal(Words(a), Words(b));
    }

    [Theory]
    [InlineData("Amazon com", "Amazon Trade")]
    [InlineData("Mat Works", "Materials Works")]
    [InlineData("Hdz Holdings", "Hernandez Holdings")]
    public void Normalize_ShortWordsThatAreWordsOfTheirOwn_AreNotReadAsAbbreviations(string a, string b)
    {
        // "com" is a web suffix, "mat" a word, "HDZ" a party: only unambiguous short forms are read as the long word.
        Assert.NotEqual(Words(a), Words(b));
    }

    [Fact]
    public void Normalize_EnglishWordsOfAnotherMeaning_StayApart()
    {
        // Two firms may be called "Legacy Builders" and "Legacy Construction": no translation of each other.
        Assert.NotEqual(Words("Legacy Builders"), Words("Legacy Construction"));
    }

    private static string Words(string name) => string.Join(" ", CompanyNameNormalizer.Normalize(name).Tokens.Where(t => t != "and").OrderBy(t => t, StringComparer.Ordinal));

    [Fact]
    public void Normalize_RunTogetherWords_HaveTheSameCompactForm()
    {
        Assert.Equal(CompanyNameNormalizer.Normalize("Beta Motors LP").Compact, CompanyNameNormalizer.Normalize("BetaMotors").Compact);
        Assert.Equal(CompanyNameNormalizer.Normalize("Beta-Motors").Core, CompanyNameNormalizer.Normalize("BETA MOTORS").Core);
    }

    [Fact]
    public void Normalize_NameThatIsOnlyALegalForm_KeepsItsWords()
    {
        Assert.Equal("co", CompanyNameNormalizer.Normalize("Company").Core);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("---")]
    public void Normalize_EmptyOrPunctuation_IsEmpty(string? raw)
    {
        Assert.True(CompanyNameNormalizer.Normalize(raw).IsEmpty);
    }

    [Fact]
    public void LegalForms_EmbeddedData_CoversManyCountries()
    {
        var forms = CompanyNameNormalizer.LegalForms;
        Assert.Contains("gmbh", forms);
        Assert.Contains("sarl", forms);
        Assert.Contains("kk", forms);
        Assert.Contains("sp z oo", forms);
        Assert.True(forms.Count > 1000, $"only {forms.Count} legal forms loaded");
    }

    [Theory]
    [InlineData("Individual")]
    [InlineData("INDIVIDUAL")]
    [InlineData("Self-Employed")]
    [InlineData("N/A")]
    [InlineData("[not provided]")]
    [InlineData("Test")]
    [InlineData("Private Individual")]
    public void Normalize_NoCompanyTyped_IsEmpty(string typed)
    {
        Assert.True(CompanyNameNormalizer.Normalize(typed).IsEmpty, typed);
    }

    [Theory]
    [InlineData("Individual Solutions LLC")]
    [InlineData("Test Labs")]
    [InlineData("Home Depot")]
    public void Normalize_PlaceholderWordInARealName_IsKept(string typed)
    {
        Assert.False(CompanyNameNormalizer.Normalize(typed).IsEmpty, typed);
    }

    [Theory]
    [InlineData("Smith Holdings LLC dba Joe's Pizza", "smithholding", "joespizza")]
    [InlineData("Smith Holdings LLC d/b/a Joe's Pizza", "smithholding", "joespizza")]
    [InlineData("SMITH HOLDINGS, LLC D.B.A. JOE'S PIZZA", "smithholding", "joespizza")]
    [InlineData("Northwind Traders Inc. (formerly Contoso Supply Co.)", "northwindtrade", "contososupply")]
    [InlineData("Fabrikam Ltd t/a The Corner Cafe", "fabrikam", "cornercafe")]
    [InlineData("Litware aka Lit Ware Labs", "litware", "litwarelab")]
    [InlineData("Trelawney Pty Ltd ATF Trelawney Family Trust", "trelawney", "trelawneyfamilytrust")]
    [InlineData("Kerr Holdings Pty Ltd as trustee for the Kerr Unit Trust", "kerrholding", "kerrunittrust")]
    public void Normalize_TradeName_IsTheOtherReading(string typed, string legal, string trade)
    {
        var name = CompanyNameNormalizer.Normalize(typed);

        Assert.Equal(legal, name.TokenCompact);
        Assert.Equal(trade, name.Alternative!.TokenCompact);
    }

    [Theory]
    [InlineData("The Trustee for THE SMITH FAMILY TRUST", "Smith Family Trust")]
    [InlineData("Trustee for Kerr Unit Trust", "Kerr Unit Trust")]
    public void Normalize_TrustAsTheBusinessRegisterNamesIt_IsTheTrust(string typed, string trust)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(trust).Compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("Aka Sushi")]
    [InlineData("Formerly Yours Boutique")]
    [InlineData("DBA Systems Inc")]
    public void Normalize_MarkerWordAtTheStart_IsPartOfTheName(string typed)
    {
        Assert.Null(CompanyNameNormalizer.Normalize(typed).Alternative);
    }

    [Theory]
    [InlineData("Amazon.com, Inc.", "Amazon")]
    [InlineData("acme.co.uk", "Acme")]
    [InlineData("www.Booking.com", "Booking")]
    [InlineData("Overstock.com", "Overstock Inc")]
    public void Normalize_NameThatIsAWebAddress_IsTheNameWithoutItsSuffix(string typed, string plain)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(plain).Compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("acme.com", "acme.com")]
    [InlineData("www.Acme.co.uk", "acme.co.uk")]
    [InlineData("Amazon.com, Inc.", "amazon.com")]
    [InlineData("Brookside.Holdings Co.", null)]
    [InlineData("J.P. Morgan", null)]
    [InlineData("Acme Inc.", null)]
    public void WebAddress_NameTypedAsAnAddress_GivesItsHost(string typed, string? host)
    {
        Assert.Equal(host, CompanyNameNormalizer.WebAddress(typed));
    }

    [Theory]
    [InlineData("Brookside.Holdings Co.", "brooksideholdings")]
    [InlineData("J.P. Morgan Chase", "jpmorganchase")]
    [InlineData("Fabrikam S.A.", "fabrikam")]
    [InlineData("3.14 Pizza", "314pizza")]
    public void Normalize_AbbreviationsWithDots_AreNoWebAddresses(string typed, string compact)
    {
        Assert.Equal(compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("DO NOT USE - Acme Corp", "Acme Corp")]
    [InlineData("Acme Corp (inactive)", "Acme Corp")]
    [InlineData("[DUPLICATE] Acme Corp", "Acme Corp")]
    [InlineData("ZZ_Acme Corp", "Acme Corp")]
    [InlineData("ZZZ Acme Corp", "Acme Corp")]
    [InlineData("Acme Corp - DNU", "Acme Corp")]
    [InlineData("*** Do Not Use *** Acme Corp (duplicate)", "Acme Corp")]
    [InlineData("TORRANCE VALVE CO (OLD)", "Torrance Valve Co")]
    [InlineData("Coastal Pumps & Irrigation (OLD ACCOUNT)", "Coastal Pumps & Irrigation")]
    [InlineData("Solent Boatyard Supplies - use 00041872", "Solent Boatyard Supplies")]
    [InlineData("Moreau Agroalimentaire (voir compte 0007731)", "Moreau Agroalimentaire")]
    public void Normalize_MarksOfRetiredRecords_AreNotTheName(string typed, string name)
    {
        var marked = CompanyNameNormalizer.Normalize(typed);

        Assert.Equal(CompanyNameNormalizer.Normalize(name).Compact, marked.Compact);
        Assert.False(marked.HasSite);
        Assert.True(CompanyNameNormalizer.IsRetired(typed));
    }

    [Theory]
    [InlineData("Old-Time Pottery")]
    [InlineData("Old Navy")]
    [InlineData("Hartwell Industries, Inc. (Parent)")]
    [InlineData("Walgreens Store 4521")]
    [InlineData("Closed Loop Recycling Ltd")]
    [InlineData("Dar Al-Sabeel Holding Co. K.S.C. (Closed)")]
    [InlineData("Crystal Logistics: Old")]
    public void IsRetired_LiveNames_AreNot(string name)
    {
        Assert.False(CompanyNameNormalizer.IsRetired(name));
    }

    [Theory]
    [InlineData("Northern Dairy, David Singh", "Northern Dairy")]
    [InlineData("NORTHERN DAIRY, OLIVIA HUGHES", "Northern Dairy")]
    [InlineData("Northern Dairy, Jürgen Weiß", "Northern Dairy")]
    [InlineData("Northern Dairy, Oluwaseun Adeyemi", "Northern Dairy")]
    [InlineData("Skadden, Arps", "Skadden Arps")]
    [InlineData("Smith, John Ltd", "Smith John Ltd")]
    [InlineData("Acme, North America", "Acme, North America")]
    [InlineData("Baker, Taylor & Co", "Baker Taylor & Co")]
    public void Normalize_PersonAfterAComma_IsNotTheName(string typed, string name)
    {
        // A known given name and one more word, written as a name is; partners' names and regions stay.
        Assert.Equal(CompanyNameNormalizer.Normalize(name).Compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("Petrobras S/A", "Petrobras")]
    [InlineData("Nakamura & Hirata Contabilidade S/S Ltda.", "Nakamura & Hirata Contabilidade")]
    [InlineData("Comercial Silva S/C Ltda", "Comercial Silva")]
    [InlineData("Brouwerij 't Kuipertje", "Brouwerij Het Kuipertje")]
    [InlineData("Café ’t Hoekje", "Cafe het Hoekje")]
    [InlineData("Fotovoltaica Campo Real 2 S.L.U.", "Fotovoltaica Campo Real 2 SL")]
    [InlineData("Iberia Líneas Aéreas de España S.A.U.", "Iberia Lineas Aereas de Espana")]
    [InlineData("Ventominho Energias Renováveis, Unipessoal, Lda.", "Ventominho Energias Renovaveis")]
    [InlineData("Golf Club Colline Moreniche SSD a r.l.", "Golf Club Colline Moreniche")]
    [InlineData("Пекара Ђурић СЗР", "Pekara Djurić")]
    [InlineData("Zidarski obrt Horvat, vl. Marko Horvat", "Zidarski obrt Horvat")]
    public void Normalize_FormsWithASlashAndTheDutchArticle_ReadAsWritten(string typed, string name)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(name).Compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("Northwind Ltd - Hugo Tanaka", "Northwind Ltd")]
    [InlineData("Northwind Ltd attn Hugo Tanaka", "Northwind Ltd")]
    [InlineData("Northwind Ltd Attn: Hugo Tanaka", "Northwind Ltd")]
    [InlineData("Hugo Tanaka (Northwind)", "Northwind")]
    [InlineData("HUGO TANAKA - NORTHWIND", "NORTHWIND")]
    [InlineData("Northwind / H. Tanaka", "Northwind")]
    [InlineData("Tanaka Hugo, Northwind", "Northwind")]
    [InlineData("Hugo Tanaka & Sons Ltd", "Hugo Tanaka & Sons Ltd")]
    [InlineData("Hugo Tanaka", "Hugo Tanaka")]
    [InlineData("Hugo Tanaka - ", "Hugo Tanaka - ")]
    [InlineData("Northwind - Hugo Tanakamura", "Northwind - Hugo Tanakamura")]
    public void WithoutOwnName_ThePersonBesideTheCompany_IsLeftOut(string company, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.WithoutOwnName(company, "Hugo", "Tanaka"));
    }

    [Theory]
    [InlineData("ZZ Top Plumbing", "zztopplumbing")]
    [InlineData("Dup Industries", "dupindustries")]
    [InlineData("Old Navy", "oldnavy")]
    [InlineData("Duplicate", "duplicate")]
    public void Normalize_MarkWordsThatNameTheCompany_AreKept(string typed, string compact)
    {
        Assert.Equal(compact, CompanyNameNormalizer.Normalize(typed).Compact);
    }

    [Theory]
    [InlineData("British Broadcasting Corporation", "bbc")]
    [InlineData("General Electric Company", "gec")]
    [InlineData("River Diagnostics Co.", "rdc")]
    [InlineData("Rapid Urban Builders Inc.", "")]
    [InlineData("Acme Corporation", "")]
    public void Normalize_LegalFormPeopleKeepInAcronyms_GivesFormInitials(string typed, string expected)
    {
        Assert.Equal(expected, CompanyNameNormalizer.Normalize(typed).FormInitials);
    }

    [Theory]
    [InlineData("École Nationale d'Ingénieurs de Tunis", "enit")]
    [InlineData("Chambre de Commerce et d'Industrie", "cci")]
    [InlineData("Institut National de l'Audiovisuel", "ina")]
    [InlineData("Istituto Nazionale dell'Economia Agraria", "inea")]
    [InlineData("Instituto Mexicano del Seguro Social", "imss")]
    [InlineData("Los Angeles County Fire Department", "lacfd")]
    [InlineData("Di Giorgio Fresh Produce", "dgfp")]
    public void Normalize_InitialsOfTheWordsAsTyped_SkipConnectorsAndElidedArticles(string typed, string initials)
    {
        // Acronyms are of the words as their language writes them ("École", not "school"), without "d'" or "del".
        Assert.Equal(initials, CompanyNameNormalizer.Normalize(typed).Initials);
    }

    [Theory]
    [InlineData("Caisse d'Epargne Normandie", "Caisse Epargne Normandie")]
    [InlineData("Istituto dell'Ambiente", "Istituto Ambiente")]
    public void Normalize_ElidedArticle_IsAWordOfItsOwn(string elided, string without)
    {
        var name = CompanyNameNormalizer.Normalize(elided);

        Assert.Equal(CompanyNameNormalizer.Normalize(without).Tokens, name.Tokens.Where(t => t is not ("d" or "dell")).ToArray());
    }

    [Theory]
    [InlineData("L'Oréal", "LOREAL")]
    [InlineData("L'Oréal", "L Oreal")]
    [InlineData("D'Angelo Pizza", "DAngelo Pizza")]
    public void Normalize_ElidedArticleRunTogether_IsTheSameName(string a, string b)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(a).Compact, CompanyNameNormalizer.Normalize(b).Compact);
    }

    [Fact]
    public void Normalize_InitialsBeforeTheWordsTheyStandFor_AreTheNameWrittenTwiceNotASite()
    {
        var name = CompanyNameNormalizer.Normalize("LQN - Laboratorios Químicos del Norte");

        Assert.False(name.HasSite);
        Assert.Equal(0, SyllableAcronym.AcronymIndex(name.Expansion));
    }

    [Theory]
    [InlineData("Thornbury Property Fund II LP", "Thornbury Property Fund 2 LP")]
    [InlineData("Meridian Property Fund I, L.P.", "Meridian Property Fund One, L.P.")]
    [InlineData("Harbourside Properties (No. 4) Limited", "Harbourside Properties 4 Limited")]
    [InlineData("Objektgesellschaft Quartier Nr. 5 GmbH", "Objektgesellschaft Quartier 5 GmbH")]
    public void Normalize_NumbersOfAGroupsCompanies_AreDigits(string typed, string plain)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(plain).Tokens, CompanyNameNormalizer.Normalize(typed).Tokens);
    }

    [Theory]
    [InlineData("S K F India Limited", "SKF India Limited")]
    [InlineData("S.K.F. India Ltd", "S K F INDIA LTD")]
    [InlineData("J. R. Smith Plumbing", "JR Smith Plumbing")]
    [InlineData("A B C Nursery", "ABC Nursery")]
    public void Normalize_LettersTypedApart_AreOneWord(string spaced, string together)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(together).Tokens, CompanyNameNormalizer.Normalize(spaced).Tokens);
    }

    [Theory]
    [InlineData("Robert Bosch GmbH Plant Bamberg", "Robert Bosch GmbH - Werk Bamberg")]
    [InlineData("Müller GmbH & Co. KG Werk 2", "Müller GmbH & Co. KG - Plant 2")]
    [InlineData("Grupo Industrial S.A. de C.V. Planta Querétaro", "Grupo Industrial - Querétaro")]
    public void Normalize_PlantAfterTheLegalForm_IsTheSite(string typed, string dashed)
    {
        var name = CompanyNameNormalizer.Normalize(typed);

        Assert.True(name.HasSite);
        Assert.Equal(CompanyNameNormalizer.Normalize(dashed).Tokens, name.Tokens);
    }

    [Theory]
    [InlineData("Green Plant Nursery Inc")]
    [InlineData("Iron Airlines Ltda. Rio de Janeiro")]
    [InlineData("Martin Media Ltda Services")]
    public void Normalize_WordsAfterALegalFormThatNameNoPlantOrUnit_AreNoSite(string typed)
    {
        Assert.False(CompanyNameNormalizer.Normalize(typed).HasSite);
    }

    [Theory]
    [InlineData("Gemeente Amsterdam, afdeling Onderwijs", "Gemeente Amsterdam - Onderwijs")]
    [InlineData("Stadt Köln - Abteilung Schulentwicklung", "Stadt Köln - Schulentwicklung")]
    [InlineData("Acme - Education Department", "Acme - Education")]
    public void Normalize_TheWordThatSaysAPartIsADepartment_IsNotItsName(string marked, string plain)
    {
        Assert.Equal(CompanyNameNormalizer.Normalize(plain).Tokens, CompanyNameNormalizer.Normalize(marked).Tokens);
    }
}
