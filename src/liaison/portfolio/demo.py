"""Demo data: five real programmes, three demo accounts and an optional synthetic portfolio.

The real programmes give a first-time user something familiar to click through; the synthetic
portfolio shows how lists, filters and charts behave at the size of a real secretariat's archive.
Facts about the real programmes (names, dates, budgets, partners) come from their public project
pages; every descriptive sentence is written for this file. Where a fact was not published (the
budget of an exchange-event project, a network's founding date) the value is a plausible stand-in.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from liaison.core.models import Role, User
from liaison.directory.models import (
    Agreement,
    AgreementKind,
    Country,
    Membership,
    MembershipRole,
    Network,
    NetworkKind,
    Organisation,
    OrganisationType,
    Person,
)

from .models import (
    Component,
    Facility,
    FundingLine,
    Instrument,
    Participation,
    ParticipationRole,
    Project,
    Theme,
    Typology,
    Visibility,
)

# Printed by the command and in the docs on purpose: these accounts exist to be tried.
DEMO_PASSWORD = "liaison-demo"  # noqa: S105

OT = OrganisationType
PR = ParticipationRole
D = datetime.date


# --------------------------------------------------------------------------------------------
# The real programmes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    name: str
    acronym: str = ""
    type: str = OT.OTHER
    country: str | None = None
    website: str = ""
    parent: str | None = None


# Parents come before their children so one pass can link them.
ORGANISATIONS: dict[str, Org] = {
    # International and EU bodies
    "icmpd": Org(
        "International Centre for Migration Policy Development",
        "ICMPD",
        OT.INTERNATIONAL,
        "AT",
        "https://www.icmpd.org",
    ),
    "dg_home": Org(
        "Directorate-General for Migration and Home Affairs",
        "DG HOME",
        OT.EU_BODY,
        "BE",
        "https://home-affairs.ec.europa.eu",
    ),
    "frontex": Org(
        "European Border and Coast Guard Agency",
        "Frontex",
        OT.EU_BODY,
        "PL",
        "https://www.frontex.europa.eu",
    ),
    # Ministries that other bodies hang under
    "ge_mia": Org("Ministry of Internal Affairs of Georgia", "MIA", OT.MINISTRY, "GE"),
    "md_mai": Org("Ministry of Internal Affairs of Moldova", "MAI", OT.MINISTRY, "MD"),
    "mk_moi": Org("Ministry of Interior of North Macedonia", "MVR", OT.MINISTRY, "MK"),
    "rs_moi": Org("Ministry of Interior of Serbia", "MUP", OT.MINISTRY, "RS"),
    "ua_mia": Org("Ministry of Internal Affairs of Ukraine", "MVS", OT.MINISTRY, "UA"),
    "bg_moi": Org(
        "Ministry of Interior of Bulgaria", "MVR", OT.MINISTRY, "BG", "https://www.mvr.bg"
    ),
    "me_moi": Org("Ministry of Interior of Montenegro", "MUP", OT.MINISTRY, "ME"),
    "ba_mos": Org("Ministry of Security of Bosnia and Herzegovina", "MSB", OT.MINISTRY, "BA"),
    "si_moi": Org("Ministry of Interior of Slovenia", "MNZ", OT.MINISTRY, "SI"),
    "at_moi": Org(
        "Ministry of Interior of Austria", "BMI", OT.MINISTRY, "AT", "https://www.bmi.gv.at"
    ),
    "gr_mma": Org(
        "Ministry of Migration and Asylum of Greece",
        "MoMA",
        OT.MINISTRY,
        "GR",
        "https://migration.gov.gr",
    ),
    "al_moi": Org("Ministry of Interior of Albania", "MoI", OT.MINISTRY, "AL"),
    "xk_mia": Org("Ministry of Internal Affairs of Kosovo", "MIA", OT.MINISTRY, "XK"),
    "fr_moi": Org(
        "Ministry of Interior of France",
        "MI",
        OT.MINISTRY,
        "FR",
        "https://www.interieur.gouv.fr",
    ),
    "es_missm": Org(
        "Ministry of Inclusion, Social Security and Migration of Spain",
        "MISSM",
        OT.MINISTRY,
        "ES",
        "https://www.inclusion.gob.es",
    ),
    "bg_mrdpw": Org(
        "Ministry of Regional Development and Public Works of Bulgaria",
        "MRDPW",
        OT.MINISTRY,
        "BG",
        "https://www.mrrb.bg",
    ),
    # 000 – ILECU network
    "hu_ilecc": Org(
        "International Law Enforcement Cooperation Centre", "ILECC", OT.COORDINATION_UNIT, "HU"
    ),
    "hu_ndgap": Org(
        "National Directorate-General for Aliens Policing",
        "NDGAP",
        OT.MIGRATION_AUTHORITY,
        "HU",
        "https://oif.gov.hu",
    ),
    "ro_police": Org("Romanian Police", "IGPR", OT.POLICE, "RO", "https://www.politiaromana.ro"),
    "ilecu_ge": Org(
        "International Law Enforcement Coordination Unit of Georgia",
        "ILECU Georgia",
        OT.COORDINATION_UNIT,
        "GE",
        parent="ge_mia",
    ),
    "ilecu_md": Org(
        "International Law Enforcement Coordination Unit of Moldova",
        "ILECU Moldova",
        OT.COORDINATION_UNIT,
        "MD",
        parent="md_mai",
    ),
    "ilecu_mk": Org(
        "International Law Enforcement Coordination Unit of North Macedonia",
        "ILECU North Macedonia",
        OT.COORDINATION_UNIT,
        "MK",
        parent="mk_moi",
    ),
    "ilecu_rs": Org(
        "International Law Enforcement Coordination Unit of Serbia",
        "ILECU Serbia",
        OT.COORDINATION_UNIT,
        "RS",
        parent="rs_moi",
    ),
    "ilecu_ua": Org(
        "International Law Enforcement Coordination Unit of Ukraine",
        "ILECU Ukraine",
        OT.COORDINATION_UNIT,
        "UA",
        parent="ua_mia",
    ),
    # 001 – Joining for Safer Borders
    "bg_burgas": Org(
        "Burgas Regional Directorate of the Ministry of Interior",
        "RDMI Burgas",
        OT.POLICE,
        "BG",
        parent="bg_moi",
    ),
    "bg_haskovo": Org(
        "Haskovo Regional Directorate of the Ministry of Interior",
        "RDMI Haskovo",
        OT.POLICE,
        "BG",
        parent="bg_moi",
    ),
    "bg_yambol": Org(
        "Yambol Regional Directorate of the Ministry of Interior",
        "RDMI Yambol",
        OT.POLICE,
        "BG",
        parent="bg_moi",
    ),
    "tr_edirne": Org("Edirne Governorship", "", OT.LOCAL_GOVERNMENT, "TR"),
    "tr_kirklareli": Org("Kırklareli Governorship", "", OT.LOCAL_GOVERNMENT, "TR"),
    # 002 – training institutions (the ten signatories of the memorandum)
    "ti_bg": Org(
        "Academy of the Ministry of Interior of Bulgaria",
        "AMI",
        OT.TRAINING,
        "BG",
        parent="bg_moi",
    ),
    "ti_hu": Org(
        "University of Public Service – Faculty of Law Enforcement", "", OT.TRAINING, "HU"
    ),
    "ti_pl": Org("Border Guard Training Centre in Kętrzyn", "", OT.TRAINING, "PL"),
    "ti_sk": Org("Academy of the Police Force in Bratislava", "", OT.TRAINING, "SK"),
    "ti_am": Org("Educational Complex of the Police of Armenia", "", OT.TRAINING, "AM"),
    "ti_az": Org("Academy of the State Border Service of Azerbaijan", "", OT.TRAINING, "AZ"),
    "ti_by": Org("Institute of the Border Service of Belarus", "", OT.TRAINING, "BY"),
    "ti_ge": Org(
        "Academy of the Ministry of Internal Affairs of Georgia",
        "",
        OT.TRAINING,
        "GE",
        parent="ge_mia",
    ),
    "ti_md": Org(
        "Training Centre of the Border Police of Moldova", "", OT.TRAINING, "MD", parent="md_mai"
    ),
    "ti_ua": Org(
        "National Academy of the State Border Guard Service of Ukraine",
        "NASBGSU",
        OT.TRAINING,
        "UA",
    ),
    # 004 – MIRCO
    "se_sma": Org(
        "Swedish Migration Agency",
        "Migrationsverket",
        OT.MIGRATION_AUTHORITY,
        "SE",
        "https://www.migrationsverket.se",
    ),
    "rs_kirs": Org(
        "Commissariat for Refugees and Migration of the Republic of Serbia",
        "KIRS",
        OT.MIGRATION_AUTHORITY,
        "RS",
        "https://kirs.gov.rs",
    ),
    "rs_rmtc": Org(
        "Regional Migration Training Centre Plandište",
        "RMTC",
        OT.TRAINING,
        "RS",
        parent="rs_kirs",
    ),
    # 003 – projects presented at the MPF exchange event
    "ge_gbp": Org("Georgian Border Police", "GBP", OT.BORDER_GUARD, "GE", parent="ge_mia"),
    "pk_fia": Org("Federal Investigation Agency", "FIA", OT.POLICE, "PK", "https://www.fia.gov.pk"),
    "lv_sbg": Org(
        "State Border Guard of Latvia", "SBG", OT.BORDER_GUARD, "LV", "https://www.rs.gov.lv"
    ),
    "lt_sbgs": Org(
        "State Border Guard Service of Lithuania",
        "SBGS",
        OT.BORDER_GUARD,
        "LT",
        "https://vsat.lrv.lt",
    ),
    "md_bp": Org("Border Police of Moldova", "", OT.BORDER_GUARD, "MD", parent="md_mai"),
    "pt_aima": Org(
        "Agency for Integration, Migration and Asylum",
        "AIMA",
        OT.MIGRATION_AUTHORITY,
        "PT",
        "https://aima.gov.pt",
    ),
    "cv_dgi": Org(
        "Directorate-General for Immigration of Cabo Verde", "", OT.MIGRATION_AUTHORITY, "CV"
    ),
    "ma_anapec": Org(
        "National Agency for the Promotion of Employment and Skills",
        "ANAPEC",
        OT.OTHER,
        "MA",
        "https://www.anapec.org",
    ),
    "it_iuav": Org("Università Iuav di Venezia", "IUAV", OT.RESEARCH, "IT", "https://www.iuav.it"),
    "it_unipr": Org("University of Parma", "UNIPR", OT.RESEARCH, "IT", "https://www.unipr.it"),
    "ng_naptip": Org(
        "National Agency for the Prohibition of Trafficking in Persons",
        "NAPTIP",
        OT.POLICE,
        "NG",
        "https://naptip.gov.ng",
    ),
}


@dataclass(frozen=True)
class SeedFacility:
    name: str
    acronym: str
    managed_by: str
    website: str
    description: str


FACILITIES: dict[str, SeedFacility] = {
    "mpf": SeedFacility(
        "Migration Partnership Facility",
        "MPF",
        "icmpd",
        "https://www.migrationpartnershipfacility.eu",
        "EU grant scheme, run by ICMPD with money from DG HOME since 2016. It pays for projects "
        "in which EU Member States and countries outside the EU work together on migration, "
        "mobility, borders and security. By 2023 it had awarded about fifty grants worth "
        "roughly EUR 51 million.",
    ),
    "interreg_bgtr": SeedFacility(
        "Interreg VI-A IPA Bulgaria–Türkiye Programme 2021–2027",
        "Interreg IPA BG-TR",
        "bg_mrdpw",
        "https://www.ipacbc-bgtr.eu",
        "Cross-border programme for the border districts of Bulgaria and the border provinces "
        "of Türkiye. One of its priorities is a safer border region, including the handling of "
        "migration.",
    ),
}


@dataclass(frozen=True)
class SeedProject:
    title: str
    acronym: str = ""
    reference: str = ""
    facility: str | None = "mpf"
    summary: str = ""
    objective: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    budget: Decimal | None = None
    # (instrument code, EU contribution, co-financing); the lines add up to the budget.
    funding: tuple[tuple[str, str, str], ...] = ()
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    typologies: tuple[str, ...] = ()
    participants: tuple[tuple[str, str], ...] = ()
    # (title, description, expected results)
    components: tuple[tuple[str, str, str], ...] = ()
    visibility: str = Visibility.PUBLIC


ILECU_TITLE = (
    "Further strengthening of International Law Enforcement Coordination Units (ILECUs) Network "
    "in South-eastern Europe (SEE) and Eastern Partnership (EaP) countries"
)
JSB_TITLE = (
    "Increasing capacity and improving cooperation of law enforcement authorities on the "
    "territories of Burgas, Haskovo and Yambol districts, Edirne and Kırklareli provinces in "
    "the field of migration"
)
EAP_TI_TITLE = "Fostering capacities and cooperation on IBM among EaP training institutions"
MIRCO_TITLE = (
    "Strengthening the regional cooperation on migration management between Western Balkans "
    "and neighbouring EU Member States in accordance with EU Acquis and international standards"
)

SEED_PROJECTS: dict[str, SeedProject] = {
    "ilecu": SeedProject(
        ILECU_TITLE,
        summary=(
            "Earlier EU projects set up international law-enforcement coordination units "
            "(ILECUs) in the Western Balkans and the Eastern Partnership. This follow-up helps "
            "the units of Georgia, Moldova, North Macedonia, Serbia and Ukraine work as one "
            "network and run joint operations with their neighbours. ICMPD carries it out for "
            "Hungary and Romania, together with Hungarian and Romanian police bodies."
        ),
        objective=(
            "A better connected ILECU network whose units plan and carry out joint "
            "law-enforcement work across both regions."
        ),
        start=D(2022, 1, 1),
        end=D(2023, 12, 31),
        budget=Decimal("454415.40"),
        funding=(("ISF-P", "454415.40", "0"),),
        countries=("GE", "HU", "MK", "MD", "RO", "RS", "UA"),
        themes=("police-cooperation", "border-management"),
        typologies=("operational", "capacity"),
        participants=(
            ("icmpd", PR.IMPLEMENTER),
            ("hu_ilecc", PR.NOMINATING),
            ("ro_police", PR.NOMINATING),
            ("hu_ndgap", PR.PARTNER),
            ("ilecu_ge", PR.BENEFICIARY),
            ("ilecu_md", PR.BENEFICIARY),
            ("ilecu_mk", PR.BENEFICIARY),
            ("ilecu_rs", PR.BENEFICIARY),
            ("ilecu_ua", PR.BENEFICIARY),
        ),
        components=(
            (
                "Cross-regional meetings and workshops",
                "Heads of the law-enforcement agencies of the partner countries meet to compare "
                "problems and agree on ways to improve how their units operate.",
                "A standing channel for exchange between the units and their agencies; a shared "
                "list of improvements to unit operations.",
            ),
            (
                "Capacity building for unit staff",
                "A gap and needs assessment, study visits to Interpol, Europol and EU Member "
                "States, then a series of workshops for the people who staff the units.",
                "Unit staff use more similar working methods and cooperate more closely.",
            ),
            (
                "Equipment for the units",
                "After a needs assessment, each unit receives basic equipment so that the "
                "offices can connect and communicate securely.",
                "The units keep in touch through the network after the project has ended.",
            ),
        ),
    ),
    "jsb": SeedProject(
        JSB_TITLE,
        acronym="Joining for Safer Borders",
        reference="BGTR0100002",
        facility="interreg_bgtr",
        summary=(
            "Police and civil authorities on both sides of the Bulgarian–Turkish border join "
            "forces on irregular migration. The regional police directorates of Burgas, Haskovo "
            "and Yambol and the governorships of Edirne and Kırklareli train their staff "
            "together, buy equipment and agree on common ways of responding."
        ),
        objective=(
            "Law-enforcement bodies in the border area respond faster and more jointly to the "
            "security and humanitarian sides of irregular migration."
        ),
        start=D(2023, 11, 8),
        end=D(2025, 11, 7),
        budget=Decimal("1730647.00"),
        funding=(("Interreg", "1471049.95", "259597.05"),),
        countries=("BG", "TR"),
        themes=("migration-management", "police-cooperation", "border-management"),
        typologies=("operational",),
        participants=(
            ("bg_burgas", PR.LEAD),
            ("bg_haskovo", PR.PARTNER),
            ("bg_yambol", PR.PARTNER),
            ("tr_edirne", PR.PARTNER),
            ("tr_kirklareli", PR.PARTNER),
        ),
        components=(
            (
                "Joint trainings",
                "Courses for officers from both countries on EU migration law, communication, "
                "handling stress and crises, and basic language skills.",
                "Officers on both sides of the border share a common base of knowledge and skills.",
            ),
            (
                "Equipment and video surveillance",
                "Specialised equipment and video surveillance for the regional units, chosen so "
                "that it also serves joint operations and crisis response.",
                "Better equipped units that can act together when a situation calls for it.",
            ),
            (
                "Coordinated response to irregular migration",
                "Agreed practices and joint actions at institutional and field level in the "
                "inland border area.",
                "Written good practices and joint actions that build on the training and the "
                "equipment.",
            ),
        ),
    ),
    "eap_ti": SeedProject(
        EAP_TI_TITLE,
        summary=(
            "ICMPD brought border-management training institutions from four EU Member States "
            "and four Mobility Partnership countries together on integrated border management "
            "(IBM). Workshops in Sofia, Minsk and Chisinau covered strategy writing, IT tools "
            "for learning and sharing information, and monitoring and evaluation. The partners "
            "built on the memorandum signed under the earlier EaP-SIPPAP project and asked for "
            "a standing network of training institutions."
        ),
        objective=(
            "Training institutions take a bigger part in drafting, running and evaluating "
            "national IBM strategies and action plans."
        ),
        start=D(2017, 9, 1),
        end=D(2018, 4, 30),
        budget=Decimal("116480.34"),
        funding=(("ISF-BV", "116480.34", "0"),),
        countries=("BG", "HU", "PL", "SK", "AM", "BY", "GE", "MD"),
        themes=("border-management",),
        typologies=("capacity", "policy-dialogue"),
        participants=(
            ("icmpd", PR.LEAD),
            ("ti_bg", PR.PARTNER),
            ("ti_hu", PR.PARTNER),
            ("ti_pl", PR.PARTNER),
            ("ti_sk", PR.PARTNER),
            ("ti_am", PR.PARTNER),
            ("ti_by", PR.PARTNER),
            ("ti_ge", PR.PARTNER),
            ("ti_md", PR.PARTNER),
        ),
        components=(
            (
                "IBM strategic planning",
                "Workshop in Sofia on the building blocks of a national IBM strategy, with "
                "analysis, planning and risk estimation.",
                "Trainers can teach how an IBM strategy is put together.",
            ),
            (
                "IT tools for learning and information exchange",
                "Meeting in Minsk on distance learning for border staff, sharing information "
                "through IT tools and the idea of smart borders.",
                "Institutions know which digital tools suit their courses.",
            ),
            (
                "Monitoring and evaluation of IBM strategies",
                "Workshop in Chisinau on project cycle management and on how to follow up and "
                "evaluate an IBM strategy.",
                "Monitoring and evaluation become part of IBM training.",
            ),
        ),
    ),
    "mirco": SeedProject(
        MIRCO_TITLE,
        acronym="MIRCO",
        summary=(
            "The Swedish Migration Agency and Serbia's Commissariat for Refugees and Migration "
            "turn the Commissariat's national training centre into a digital regional centre "
            "open to the migration institutions of the Western Balkans. New training modules, "
            "study visits and a network of migration training centres tie the region to its "
            "EU neighbours."
        ),
        objective=(
            "Western Balkan institutions apply migration and asylum policy and procedures in "
            "line with the EU acquis."
        ),
        start=D(2024, 5, 15),
        end=D(2026, 5, 14),
        budget=Decimal("1250000.00"),
        funding=(("AMIF", "1125000.00", "125000.00"),),
        countries=("RS", "ME", "MK", "BA", "SE", "SI", "AT", "GR"),
        themes=("migration-management", "asylum-protection"),
        typologies=("capacity",),
        participants=(
            ("se_sma", PR.LEAD),
            ("rs_kirs", PR.PARTNER),
            ("rs_kirs", PR.BENEFICIARY),
            ("me_moi", PR.BENEFICIARY),
            ("mk_moi", PR.BENEFICIARY),
            ("ba_mos", PR.BENEFICIARY),
            ("si_moi", PR.ASSOCIATED),
            ("at_moi", PR.ASSOCIATED),
            ("gr_mma", PR.ASSOCIATED),
        ),
        components=(
            (
                "A digital Regional Migration Training Centre",
                "Guided by a needs assessment, the centre in Plandište gets an online learning "
                "platform, and partner institutions get equipment to join online courses.",
                "A working regional centre whose platform every Western Balkan institution "
                "can use.",
            ),
            (
                "Stronger institutions",
                "Training plans with training of trainers, learning on the job, study visits, "
                "internships and English courses; ten modules written, digitised and accredited.",
                "Partner institutions give migrants better services and protection.",
            ),
            (
                "Regional and international cooperation",
                "A network of migration training centres, conferences, shared online sessions and "
                "visits to training centres abroad.",
                "Lasting links between Western Balkan partners, neighbouring EU Member States and "
                "other training centres.",
            ),
        ),
    ),
    # Projects presented at the MPF exchange event of September 2023.
    "prometheus": SeedProject(
        "Strengthening Georgian capacities to manage migration flows",
        acronym="PROMETHEUS II",
        summary=(
            "Second phase of French support to Georgia. Border and patrol police and criminal "
            "investigators are trained, and the services that analyse border data are "
            "reorganised so that organised crime networks can be traced and broken up."
        ),
        objective="Georgian law enforcement handles irregular migration in step with the EU.",
        start=D(2023, 1, 1),
        end=D(2024, 12, 31),
        budget=Decimal("950000.00"),
        funding=(("ISF-P", "855000.00", "95000.00"),),
        countries=("FR", "GE"),
        themes=("migration-management", "border-management", "trafficking-smuggling"),
        typologies=("capacity", "operational"),
        participants=(("fr_moi", PR.LEAD), ("ge_mia", PR.BENEFICIARY)),
    ),
    "rapak": SeedProject(
        "Risk analysis capacity of the Federal Investigation Agency of Pakistan",
        acronym="RAPAK",
        summary=(
            "Pakistan's Federal Investigation Agency designs and pilots risk analysis units at "
            "headquarters, in the zones and at border crossing points, with tools for sharing "
            "information and courses run by national training institutions."
        ),
        objective="Border protection in Pakistan is guided by sound risk analysis.",
        start=D(2023, 4, 1),
        end=D(2025, 9, 30),
        budget=Decimal("1400000.00"),
        funding=(("BMVI", "1260000.00", "140000.00"),),
        countries=("PK",),
        themes=("border-management",),
        typologies=("capacity",),
        participants=(("icmpd", PR.LEAD), ("pk_fia", PR.BENEFICIARY)),
    ),
    "gbp": SeedProject(
        "Strengthening Georgian Border Police (GBP) Capacities for Green and Sea Border "
        "Surveillance",
        summary=(
            "Latvia's State Border Guard hands a helicopter over to the Georgian Border Police "
            "and trains its aviation unit to fly and maintain it. The project also supports "
            "joint work and information exchange along the green and sea borders."
        ),
        objective="Georgia watches its land and sea borders in line with EU border management.",
        start=D(2023, 3, 1),
        end=D(2024, 8, 31),
        budget=Decimal("1100000.00"),
        funding=(("BMVI", "990000.00", "110000.00"),),
        countries=("LV", "GE"),
        themes=("border-management",),
        typologies=("operational", "capacity"),
        participants=(("lv_sbg", PR.LEAD), ("ge_gbp", PR.BENEFICIARY)),
    ),
    "forged_docs": SeedProject(
        "Enhancing capacities of Border Police forces to detect forged identity and travel "
        "documents for preventing and combating irregular migration and trafficking in human "
        "beings",
        summary=(
            "Lithuanian border guards share their know-how on spotting false passports and ID "
            "cards with a partner border police, so that fewer people cross on forged papers."
        ),
        objective="Forged documents are caught at the border more often.",
        start=D(2022, 10, 1),
        end=D(2024, 3, 31),
        budget=Decimal("420000.00"),
        funding=(("ISF-P", "378000.00", "42000.00"),),
        countries=("LT", "MD"),
        themes=("border-management", "trafficking-smuggling"),
        typologies=("operational",),
        participants=(("lt_sbgs", PR.LEAD), ("md_bp", PR.BENEFICIARY)),
    ),
    "coop4int": SeedProject(
        "Strengthening Migrant Integration through Cooperation between Portugal and Cabo Verde",
        acronym="Coop4Int",
        summary=(
            "Portuguese and Cabo Verdean migration services compare how they welcome and "
            "support migrants and build up each other's integration services."
        ),
        objective="Migrants moving between the two countries settle in more easily.",
        start=D(2021, 11, 1),
        end=D(2023, 10, 31),
        budget=Decimal("380000.00"),
        funding=(("AMIF", "342000.00", "38000.00"),),
        countries=("PT", "CV"),
        themes=("integration",),
        typologies=("capacity",),
        participants=(("pt_aima", PR.LEAD), ("cv_dgi", PR.PARTNER)),
    ),
    "wafira": SeedProject(
        "Women As Financially Independent Rural Actors",
        acronym="WAFIRA",
        summary=(
            "Moroccan women who take up seasonal farm work in Spain gain skills and savings "
            "that help them start their own activity back home."
        ),
        objective="Seasonal work abroad leaves women with lasting income and skills.",
        start=D(2021, 10, 1),
        end=D(2023, 12, 31),
        budget=Decimal("1250000.00"),
        funding=(("AMIF", "1125000.00", "125000.00"),),
        countries=("ES", "MA"),
        themes=("labour-mobility",),
        typologies=("skills-mobility",),
        participants=(("es_missm", PR.LEAD), ("ma_anapec", PR.PARTNER)),
    ),
    "insight": SeedProject(
        "Building capacity to deal with human trafficking and transit routes in Nigeria, Italy, "
        "and Sweden",
        acronym="INSigHT",
        summary=(
            "Researchers and practitioners study how trafficking routes from Nigeria run "
            "through Italy and Sweden, and turn what they learn into training for the people "
            "who meet victims."
        ),
        objective="Practitioners recognise and assist trafficked people earlier.",
        start=D(2020, 1, 1),
        end=D(2022, 6, 30),
        budget=Decimal("700000.00"),
        funding=(("ISF-P", "630000.00", "70000.00"),),
        countries=("NG", "IT", "SE"),
        themes=("trafficking-smuggling",),
        typologies=("action-research",),
        participants=(
            ("it_iuav", PR.LEAD),
            ("it_unipr", PR.PARTNER),
            ("ng_naptip", PR.BENEFICIARY),
        ),
    ),
    # A follow-up idea that is not public yet, so staff see what a draft looks like.
    "mirco_plus": SeedProject(
        "Opening the Regional Migration Training Centre to Albania and Kosovo",
        acronym="MIRCO Plus",
        summary=(
            "Idea for a follow-up: the Albanian and Kosovan migration authorities join the "
            "regional training centre, its online platform and its network."
        ),
        objective="All six Western Balkan partners train their migration staff together.",
        start=D(2026, 9, 1),
        end=D(2028, 8, 31),
        budget=Decimal("680000.00"),
        funding=(("AMIF", "612000.00", "68000.00"),),
        countries=("RS", "AL", "XK", "SE"),
        themes=("migration-management",),
        typologies=("capacity",),
        participants=(
            ("rs_kirs", PR.LEAD),
            ("se_sma", PR.PARTNER),
            ("al_moi", PR.BENEFICIARY),
            ("xk_mia", PR.BENEFICIARY),
        ),
        visibility=Visibility.DRAFT,
    ),
}


@dataclass(frozen=True)
class SeedNetwork:
    name: str
    acronym: str
    kind: str
    purpose: str
    website: str = ""
    # (kind, title, signed on, number of signatories)
    agreement: tuple[str, str, datetime.date, int] | None = None
    # (organisation key, role, from, to)
    members: tuple[tuple[str, str, datetime.date | None, datetime.date | None], ...] = ()


M, OBS, SEC = MembershipRole.MEMBER, MembershipRole.OBSERVER, MembershipRole.SECRETARIAT

NETWORKS: tuple[SeedNetwork, ...] = (
    SeedNetwork(
        "Network of International Law Enforcement Coordination Units",
        "ILECU Network",
        NetworkKind.COORDINATION_UNITS,
        "Units in the Western Balkans and the Eastern Partnership that route police requests "
        "between countries and prepare joint operations.",
        members=(
            ("ilecu_rs", M, D(2011, 6, 1), None),
            ("ilecu_mk", M, D(2011, 6, 1), None),
            ("ilecu_md", M, D(2017, 3, 1), None),
            ("ilecu_ge", M, D(2017, 3, 1), None),
            ("ilecu_ua", M, D(2018, 1, 15), None),
            ("hu_ilecc", OBS, D(2022, 1, 1), None),
            ("icmpd", SEC, D(2022, 1, 1), D(2023, 12, 31)),
        ),
    ),
    SeedNetwork(
        "Network of Border Management Training Institutions",
        "",
        NetworkKind.TRAINING_INSTITUTIONS,
        "Border-guard academies and training centres of the Eastern Partnership and "
        "neighbouring EU Member States that share curricula, trainers and good practice on "
        "integrated border management.",
        agreement=(
            AgreementKind.MOU,
            "Memorandum of Understanding on cooperation among border management training "
            "institutions",
            D(2015, 10, 15),
            10,
        ),
        members=(
            *(
                (key, M, D(2015, 10, 15), None)
                for key in (
                    "ti_bg",
                    "ti_hu",
                    "ti_pl",
                    "ti_sk",
                    "ti_am",
                    "ti_az",
                    "ti_by",
                    "ti_ge",
                    "ti_md",
                    "ti_ua",
                )
            ),
            ("icmpd", SEC, D(2015, 10, 15), None),
        ),
    ),
    SeedNetwork(
        "Network of Regional Migration Training Centres",
        "",
        NetworkKind.TRAINING_CENTRES,
        "Migration training centres of the Western Balkans and their EU counterparts that run "
        "shared online courses, study visits and conferences.",
        members=(
            ("rs_rmtc", M, D(2025, 3, 20), None),
            ("se_sma", M, D(2025, 3, 20), None),
            ("me_moi", M, D(2025, 3, 20), None),
            ("mk_moi", M, D(2025, 3, 20), None),
            ("ba_mos", M, D(2025, 3, 20), None),
            ("rs_kirs", SEC, D(2025, 3, 20), None),
        ),
    ),
    SeedNetwork(
        "Prague Process",
        "",
        NetworkKind.DIALOGUE,
        "Migration dialogue between the EU, the Eastern Partnership, the Western Balkans, "
        "Central Asia, Russia and Türkiye.",
        "https://www.pragueprocess.eu",
        members=(("icmpd", SEC, D(2009, 4, 28), None),),
    ),
    SeedNetwork(
        "Budapest Process",
        "",
        NetworkKind.DIALOGUE,
        "Long-running dialogue on migration between Europe and countries along the Silk Routes.",
        "https://www.budapestprocess.org",
        members=(("icmpd", SEC, D(1993, 2, 1), None),),
    ),
)

# Speakers at the MPF exchange event. Contact details are invented examples.
PEOPLE: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "Pawel Busiakiewicz",
        "Head of Unit HOME A3",
        "dg_home",
        "pawel.busiakiewicz@example.org",
        "+32 2 555 0101",
    ),
    (
        "Alexandra Sa-Carvalho",
        "Deputy Head of Unit HOME A3",
        "dg_home",
        "alexandra.sa-carvalho@example.org",
        "+32 2 555 0102",
    ),
    (
        "Ralph Genetzke",
        "Director, ICMPD Brussels Mission",
        "icmpd",
        "ralph.genetzke@example.org",
        "+32 2 555 0201",
    ),
    (
        "Jennifer Tangney",
        "MPF Senior Manager",
        "icmpd",
        "jennifer.tangney@example.org",
        "+32 2 555 0202",
    ),
    (
        "Borut Erzen",
        "Head of the Border Management and Security Programme",
        "icmpd",
        "borut.erzen@example.org",
        "+43 1 555 0203",
    ),
    (
        "William Huddleston",
        "RAPAK Project Manager",
        "icmpd",
        "william.huddleston@example.org",
        "+43 1 555 0204",
    ),
    (
        "Jean-Christophe Hilaire",
        "Police Commander, Chief of Bureau",
        "fr_moi",
        "jean-christophe.hilaire@example.org",
        "+33 1 55 50 03 01",
    ),
    (
        "Kaspars Fismeisters",
        "Senior Specialist, International Cooperation Board",
        "lv_sbg",
        "kaspars.fismeisters@example.org",
        "+371 6 555 0401",
    ),
    (
        "Donatas Škarnulis",
        "Head of Criminal Investigation Board",
        "lt_sbgs",
        "donatas.skarnulis@example.org",
        "+370 5 555 0501",
    ),
    (
        "Ana Couteiro",
        "Coop4Int Project Manager, Head of the Migrant Integration Support Unit",
        "pt_aima",
        "ana.couteiro@example.org",
        "+351 21 555 0601",
    ),
    (
        "Giovanna Marconi",
        "INSigHT Project Manager, Associate Professor",
        "it_iuav",
        "giovanna.marconi@example.org",
        "+39 041 555 0701",
    ),
    (
        "Michela Semprebon",
        "INSigHT Research Coordinator, Senior Researcher",
        "it_unipr",
        "michela.semprebon@example.org",
        "+39 0521 555 0702",
    ),
    (
        "Richard Ares Baumgartner",
        "EU Affairs Strategic Advisor",
        "frontex",
        "richard.ares-baumgartner@example.org",
        "+48 22 555 0801",
    ),
)


def _country_ids() -> dict[str, int]:
    return dict(Country.objects.values_list("code", "id"))


def _ensure_organisations(countries: dict[str, int]) -> dict[str, Organisation]:
    """Reuse an organisation with the same name in the same country, so edits survive reruns."""
    found: dict[str, Organisation] = {}
    for key, spec in ORGANISATIONS.items():
        country_id = countries.get(spec.country) if spec.country else None
        org = Organisation.objects.filter(name=spec.name, country_id=country_id).first()
        if org is None:
            org = Organisation.objects.create(
                name=spec.name,
                acronym=spec.acronym,
                type=spec.type,
                country_id=country_id,
                website=spec.website,
                parent=found.get(spec.parent) if spec.parent else None,
            )
        found[key] = org
    return found


def _ensure_facilities(orgs: dict[str, Organisation]) -> dict[str, Facility]:
    found = {}
    for key, spec in FACILITIES.items():
        facility = Facility.objects.filter(acronym=spec.acronym).first()
        facility = facility or Facility.objects.filter(name=spec.name).first()
        if facility is None:
            facility = Facility.objects.create(
                name=spec.name,
                acronym=spec.acronym,
                managed_by=orgs[spec.managed_by],
                website=spec.website,
                description=spec.description,
            )
        found[key] = facility
    return found


def find_seed_project(spec: SeedProject) -> Project | None:
    """Match the way people recognise a project, so a rerun or a hand-made copy is not doubled."""
    if spec.reference:
        return Project.objects.filter(reference=spec.reference).first()
    if spec.acronym:
        return Project.objects.filter(acronym=spec.acronym).first()
    return Project.objects.filter(title=spec.title).first()


def _create_seed_project(spec, countries, orgs, facilities) -> Project:
    project = Project.objects.create(
        facility=facilities.get(spec.facility) if spec.facility else None,
        title=spec.title,
        acronym=spec.acronym,
        reference=spec.reference,
        summary=spec.summary,
        objective=spec.objective,
        start=spec.start,
        end=spec.end,
        visibility=spec.visibility,
        total_budget=spec.budget,
    )
    project.countries.set([countries[code] for code in spec.countries])
    project.themes.set(Theme.objects.filter(code__in=spec.themes))
    project.typologies.set(Typology.objects.filter(code__in=spec.typologies))  # signal counts
    instruments = dict(Instrument.objects.values_list("code", "id"))
    FundingLine.objects.bulk_create(
        FundingLine(
            project=project,
            instrument_id=instruments[code],
            eu_contribution=Decimal(eu),
            co_financing=Decimal(co),
        )
        for code, eu, co in spec.funding
    )
    Participation.objects.bulk_create(
        Participation(project=project, organisation=orgs[key], role=role)
        for key, role in spec.participants
    )
    Component.objects.bulk_create(
        Component(project=project, order=i, title=t, description=d, expected_results=r)
        for i, (t, d, r) in enumerate(spec.components, start=1)
    )
    return project


def _ensure_networks(orgs: dict[str, Organisation]) -> None:
    for spec in NETWORKS:
        network = Network.objects.filter(name=spec.name).first()
        if network is not None:
            continue
        network = Network.objects.create(
            name=spec.name,
            acronym=spec.acronym,
            kind=spec.kind,
            purpose=spec.purpose,
            website=spec.website,
        )
        if spec.agreement:
            kind, title, signed_on, signatories = spec.agreement
            Agreement.objects.create(
                network=network,
                kind=kind,
                title=title,
                signed_on=signed_on,
                signatories=signatories,
                is_founding=True,
            )
        Membership.objects.bulk_create(
            Membership(network=network, organisation=orgs[key], role=role, start=start, end=end)
            for key, role, start, end in spec.members
        )


def _ensure_people(orgs: dict[str, Organisation]) -> None:
    for name, position, key, email, phone in PEOPLE:
        if not Person.objects.filter(name=name, organisation=orgs[key]).exists():
            Person.objects.create(
                name=name, position=position, organisation=orgs[key], email=email, phone=phone
            )


@transaction.atomic
def load_seed_programmes() -> dict[str, Project]:
    """Create the real programmes, their partners and networks; records already there are kept.

    Existing records are matched, never overwritten, so a user's edits to a demo project survive
    a second run.
    """
    countries = _country_ids()
    orgs = _ensure_organisations(countries)
    facilities = _ensure_facilities(orgs)
    projects = {}
    for key, spec in SEED_PROJECTS.items():
        projects[key] = find_seed_project(spec) or _create_seed_project(
            spec, countries, orgs, facilities
        )
    _ensure_networks(orgs)
    _ensure_people(orgs)
    return projects


# --------------------------------------------------------------------------------------------
# Demo accounts
# --------------------------------------------------------------------------------------------

DEMO_USERS = (
    ("secretariat", Role.SECRETARIAT, "Sam", "Secretariat", "runs everything, Django admin too"),
    (
        "manager",
        Role.PROJECT_MANAGER,
        "Petra",
        "Manager",
        "edits MIRCO and Joining for Safer Borders",
    ),
    ("viewer", Role.STAFF_VIEWER, "Vera", "Viewer", "reads everything, contact details included"),
    (
        "privacy",
        Role.DATA_PROTECTION_OFFICER,
        "Dana",
        "Privacy",
        "reads and exports who viewed personal data (/privacy/reads/)",
    ),
)


def sign_in_help() -> str:
    lines = [f'How to sign in (demo accounts, all with the password "{DEMO_PASSWORD}"):']
    for username, role, _first, _last, note in DEMO_USERS:
        lines.append(f"  {username:<12} {Role(role).label} – {note}")
    lines.append("Remove these accounts, or change their passwords, before real use.")
    return "\n".join(lines)


@transaction.atomic
def create_demo_users(stdout=None) -> dict[str, User]:
    """One account per staff role, so each view of the platform can be tried at once.

    An account that already exists is left as it is: rerunning the demo must never reset the
    password of a real person who happens to share one of these usernames.
    """
    users = {}
    for username, role, first, last, _note in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                is_staff=role == Role.SECRETARIAT,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    manager = users["manager"]
    if manager.role == Role.PROJECT_MANAGER:
        for key in ("mirco", "jsb"):
            project = find_seed_project(SEED_PROJECTS[key])
            if project is not None:
                project.managers.add(manager)
    if stdout is not None:
        stdout.write(sign_in_help())
    return users


# --------------------------------------------------------------------------------------------
# Synthetic portfolio
# --------------------------------------------------------------------------------------------

COUNTRY_NAMES = {
    # Western Balkans
    "AL": "Albania",
    "BA": "Bosnia and Herzegovina",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "XK": "Kosovo",
    # Eastern Partnership
    "AM": "Armenia",
    "AZ": "Azerbaijan",
    "GE": "Georgia",
    "MD": "Moldova",
    "UA": "Ukraine",
    "TR": "Türkiye",
    # Silk Route
    "AF": "Afghanistan",
    "BD": "Bangladesh",
    "IQ": "Iraq",
    "PK": "Pakistan",
    # Southern Neighbourhood
    "MA": "Morocco",
    "TN": "Tunisia",
    "EG": "Egypt",
    "JO": "Jordan",
    "LB": "Lebanon",
    # Sub-Saharan Africa
    "NG": "Nigeria",
    "SN": "Senegal",
    "GH": "Ghana",
    "CI": "Côte d'Ivoire",
    "GM": "the Gambia",
    "ET": "Ethiopia",
    "KE": "Kenya",
    "NE": "Niger",
    "ML": "Mali",
    "CV": "Cabo Verde",
    # EU
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CZ": "Czechia",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "NL": "the Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
}

# (phrase used in titles, partner countries, weight, EU Member States that often work there)
PARTNER_REGIONS = (
    (
        "the Western Balkans",
        ("AL", "BA", "ME", "MK", "RS", "XK"),
        24,
        ("AT", "SI", "HR", "DE", "IT", "GR", "BG", "HU", "SE"),
    ),
    (
        "the Eastern Partnership",
        ("AM", "AZ", "GE", "MD", "UA"),
        20,
        ("PL", "LT", "LV", "RO", "BG", "HU", "SK", "CZ", "SE"),
    ),
    ("Türkiye", ("TR",), 8, ("BG", "GR", "DE", "NL", "AT")),
    ("the Silk Route countries", ("AF", "BD", "IQ", "PK"), 12, ("DE", "NL", "SE", "BE", "AT")),
    (
        "the Southern Neighbourhood",
        ("MA", "TN", "EG", "JO", "LB"),
        14,
        ("ES", "IT", "FR", "BE", "DE", "NL"),
    ),
    (
        "West and East Africa",
        ("NG", "SN", "GH", "CI", "GM", "ET", "KE", "NE", "ML", "CV"),
        16,
        ("ES", "IT", "FR", "PT", "BE", "NL", "DE"),
    ),
)
REGION_WEIGHTS = [r[2] for r in PARTNER_REGIONS]

# Templates for a country's institutions: (name, acronym stem, type).
ORG_TEMPLATES = {
    "moi": ("Ministry of Interior of {c}", "MoI", OT.MINISTRY),
    "bp": ("Border Police of {c}", "BP", OT.BORDER_GUARD),
    "police": ("National Police of {c}", "NP", OT.POLICE),
    "academy": ("National Police Academy of {c}", "NPA", OT.TRAINING),
    "migration": ("Migration Authority of {c}", "MA", OT.MIGRATION_AUTHORITY),
    "ilecu": (
        "International Law Enforcement Coordination Unit of {c}",
        "ILECU",
        OT.COORDINATION_UNIT,
    ),
    "labour": ("Ministry of Labour and Social Affairs of {c}", "MoLSA", OT.MINISTRY),
    "employment": ("Public Employment Service of {c}", "PES", OT.OTHER),
    "research": ("National Institute for Migration Studies of {c}", "NIMS", OT.RESEARCH),
    "ngo": ("Anti-Trafficking and Migrant Support Network of {c}", "", OT.NGO),
}
# Where a country's institution has a well-known name of its own, the pool uses it; the seed
# records with the same name are then reused rather than duplicated.
ORG_NAME_OVERRIDES = {
    ("GE", "moi"): "Ministry of Internal Affairs of Georgia",
    ("MD", "moi"): "Ministry of Internal Affairs of Moldova",
    ("UA", "moi"): "Ministry of Internal Affairs of Ukraine",
    ("AZ", "moi"): "Ministry of Internal Affairs of Azerbaijan",
    ("XK", "moi"): "Ministry of Internal Affairs of Kosovo",
    ("BA", "moi"): "Ministry of Security of Bosnia and Herzegovina",
    ("GE", "bp"): "Georgian Border Police",
    ("LV", "bp"): "State Border Guard of Latvia",
    ("LT", "bp"): "State Border Guard Service of Lithuania",
    ("PL", "bp"): "Polish Border Guard",
    ("UA", "bp"): "State Border Guard Service of Ukraine",
    ("RO", "police"): "Romanian Police",
    ("SE", "migration"): "Swedish Migration Agency",
    ("RS", "migration"): "Commissariat for Refugees and Migration of the Republic of Serbia",
    ("PT", "migration"): "Agency for Integration, Migration and Asylum",
    ("HU", "migration"): "National Directorate-General for Aliens Policing",
    ("DE", "migration"): "Federal Office for Migration and Refugees",
    ("NL", "migration"): "Immigration and Naturalisation Service",
    ("PK", "police"): "Federal Investigation Agency",
}

# (name, acronym, type, country, website, weight as a lead)
INTERNATIONAL_ORGS = (
    ("International Centre for Migration Policy Development", "ICMPD", OT.INTERNATIONAL, "AT",
     "https://www.icmpd.org", 5),
    ("International Organization for Migration", "IOM", OT.INTERNATIONAL, "CH",
     "https://www.iom.int", 4),
    ("United Nations Office on Drugs and Crime", "UNODC", OT.INTERNATIONAL, "AT",
     "https://www.unodc.org", 2),
    ("United Nations High Commissioner for Refugees", "UNHCR", OT.INTERNATIONAL, "CH",
     "https://www.unhcr.org", 2),
    ("International Labour Organization", "ILO", OT.INTERNATIONAL, "CH",
     "https://www.ilo.org", 1),
    ("European Border and Coast Guard Agency", "Frontex", OT.EU_BODY, "PL",
     "https://www.frontex.europa.eu", 1),
    ("European Union Agency for Asylum", "EUAA", OT.EU_BODY, "MT",
     "https://www.euaa.europa.eu", 1),
    ("European Union Agency for Law Enforcement Training", "CEPOL", OT.EU_BODY, "HU",
     "https://www.cepol.europa.eu", 1),
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit", "GIZ", OT.OTHER, "DE",
     "https://www.giz.de", 2),
    ("Fundación Internacional y para Iberoamérica de Administración y Políticas Públicas",
     "FIIAPP", OT.OTHER, "ES", "https://www.fiiapp.org", 2),
    ("Expertise France", "", OT.OTHER, "FR", "https://www.expertisefrance.fr", 1),
)  # fmt: skip
INTERNATIONAL_WEIGHTS = [o[5] for o in INTERNATIONAL_ORGS]

THEME_CODES = (
    "border-management",
    "police-cooperation",
    "migration-management",
    "asylum-protection",
    "return-reintegration",
    "trafficking-smuggling",
    "integration",
    "labour-mobility",
)
THEME_WEIGHTS = (22, 14, 16, 10, 8, 10, 8, 12)

# Themes that tend to come together with each primary theme.
RELATED_THEMES = {
    "border-management": ("police-cooperation", "trafficking-smuggling", "migration-management"),
    "police-cooperation": ("border-management", "trafficking-smuggling"),
    "migration-management": ("asylum-protection", "return-reintegration", "labour-mobility"),
    "asylum-protection": ("migration-management", "integration", "return-reintegration"),
    "return-reintegration": ("migration-management", "labour-mobility"),
    "trafficking-smuggling": ("police-cooperation", "border-management", "asylum-protection"),
    "integration": ("labour-mobility", "asylum-protection"),
    "labour-mobility": ("integration", "migration-management"),
}

THEME_PHRASES = {
    "border-management": "border management",
    "police-cooperation": "police cooperation",
    "migration-management": "migration management",
    "asylum-protection": "asylum and protection",
    "return-reintegration": "return and reintegration",
    "trafficking-smuggling": "action against trafficking and smuggling",
    "integration": "migrant integration",
    "labour-mobility": "labour mobility",
}

TITLES = {
    "border-management": (
        "Strengthening integrated border management {where}",
        "Enhancing green and blue border surveillance {where}",
        "Modernising border checks and document security {where}",
        "Building risk analysis capacity of border agencies {where}",
        "Aligning border management with the EU acquis {where}",
    ),
    "police-cooperation": (
        "Enhancing cross-border police cooperation {where}",
        "Strengthening international law-enforcement coordination units {where}",
        "Joint investigations and information exchange against organised crime {where}",
    ),
    "migration-management": (
        "Improving migration data and statistics {where}",
        "Supporting evidence-based migration policy {where}",
        "Strengthening migration governance and inter-agency coordination {where}",
    ),
    "asylum-protection": (
        "Strengthening asylum and reception systems {where}",
        "Protection-sensitive migration management {where}",
        "Better identification and referral of vulnerable migrants {where}",
    ),
    "return-reintegration": (
        "Sustainable reintegration of returning migrants {where}",
        "Cooperation on voluntary return and reintegration {where}",
    ),
    "trafficking-smuggling": (
        "Countering migrant smuggling networks {where}",
        "Preventing trafficking in human beings and protecting victims {where}",
        "Financial investigations into smuggling and trafficking {where}",
    ),
    "integration": (
        "Pre-departure orientation and integration support {where}",
        "Local partnerships for migrant integration {where}",
    ),
    "labour-mobility": (
        "Pilot labour mobility scheme for young professionals {where}",
        "Skills partnership for ICT and health workers {where}",
        "Legal pathways matching skills and jobs {where}",
    ),
}
TITLE_SUFFIXES = ("", "", "", "", "", "", " – phase II", " – phase III", " (follow-up)")

OBJECTIVES = {
    "border-management": "Border agencies in {place} manage borders to EU standards and with "
    "respect for rights.",
    "police-cooperation": "Police services in {place} share information and act together "
    "against cross-border crime.",
    "migration-management": "Migration policy in {place} rests on reliable data and good "
    "coordination.",
    "asylum-protection": "People who need protection in {place} get fair procedures and decent "
    "reception.",
    "return-reintegration": "People returning to {place} rebuild their lives with lasting support.",
    "trafficking-smuggling": "Fewer people in {place} fall into the hands of smugglers and "
    "traffickers.",
    "integration": "Migrants from {place} settle in faster and take part in society.",
    "labour-mobility": "Workers from {place} move legally and safely, to everyone's benefit.",
}

# (title, description, expected results)
COMPONENTS = {
    "border-management": (
        ("Training for border guards", "Courses and exercises for front-line and "
         "specialised border staff.", "Staff apply common procedures at the border."),
        ("Surveillance equipment", "Equipment chosen after a needs assessment, with training "
         "on its use and upkeep.", "Better coverage of the border between crossing points."),
        ("Risk analysis", "A risk analysis unit, shared indicators and regular joint reports.",
         "Decisions on deployments are based on analysis."),
    ),
    "police-cooperation": (
        ("Information exchange", "Secure channels and agreed procedures for sharing police "
         "information.", "Requests between countries are answered faster."),
        ("Joint operations", "Planning and running joint operations with neighbouring "
         "services.", "More joint operations with concrete results."),
        ("Study visits to EU agencies", "Visits to Europol, Interpol and peer services in EU "
         "Member States.", "Officers know how to work with EU agencies."),
    ),
    "migration-management": (
        ("Migration data", "Common definitions and tools for collecting and sharing migration "
         "data.", "A regular migration profile that ministries use."),
        ("Policy support", "Expert advice on drafting and reviewing migration strategies.",
         "An updated strategy with an action plan."),
        ("Inter-agency coordination", "A working group that brings the agencies involved "
         "together.", "Agencies plan and act jointly."),
    ),
    "asylum-protection": (
        ("Asylum procedures", "Training and coaching for caseworkers and interpreters.",
         "Fairer and faster first-instance decisions."),
        ("Reception", "Standards and checklists for reception centres.",
         "Reception conditions meet agreed standards."),
        ("Vulnerable persons", "Tools to identify and refer children and other vulnerable "
         "people.", "Vulnerable people are identified early and referred."),
    ),
    "return-reintegration": (
        ("Reintegration packages", "Counselling, training and small grants for returnees.",
         "Returnees find work or start a business."),
        ("Case management", "A shared system to follow each return case.",
         "Return cases are followed up from departure to reintegration."),
    ),
    "trafficking-smuggling": (
        ("Investigations", "Joint training for police, prosecutors and labour inspectors.",
         "More cases investigated and brought to court."),
        ("Victim support", "Referral mechanisms and shelters run with civil society.",
         "Victims receive help quickly."),
        ("Awareness", "Information campaigns on the risks of irregular journeys.",
         "People at risk know safe and legal options."),
    ),
    "integration": (
        ("Pre-departure orientation", "Language and orientation courses before departure.",
         "Migrants arrive prepared."),
        ("Local integration services", "Help desks and mentoring in host municipalities.",
         "Migrants reach the services they need."),
    ),
    "labour-mobility": (
        ("Recruitment and matching", "Fair recruitment through the public employment "
         "services of both countries.", "Workers are matched to real vacancies."),
        ("Skills training", "Vocational and language training before departure.",
         "Skills recognised in the country of destination."),
        ("Return of skills", "Support to use new skills after coming home.",
         "Returning workers find better jobs or start businesses."),
    ),
}  # fmt: skip
GENERIC_COMPONENTS = (
    ("Needs assessment", "A joint review of the partners' needs at the start of the project.",
     "A work plan agreed by all partners."),
    ("Regional exchange", "Conferences, peer visits and an online community of practice.",
     "Partners keep exchanging after the project."),
    ("Equipment and IT tools", "Equipment and software for the partner institutions.",
     "Partners use modern tools in daily work."),
)  # fmt: skip

TYPOLOGY_WEIGHTS = {
    # operational, policy-dialogue, capacity, action-research, skills-mobility
    "border-management": (4, 1, 5, 0.5, 0),
    "police-cooperation": (5, 1, 3, 0.5, 0),
    "migration-management": (0.5, 4, 4, 2, 0.5),
    "asylum-protection": (0.5, 2, 5, 1, 0),
    "return-reintegration": (2, 2, 3, 1, 1),
    "trafficking-smuggling": (3, 1, 3, 2, 0),
    "integration": (0.5, 2, 4, 1, 1),
    "labour-mobility": (0, 2, 2, 1, 6),
}
TYPOLOGY_CODES = (
    "operational",
    "policy-dialogue",
    "capacity",
    "action-research",
    "skills-mobility",
)

# Which of a country's institutions take part, by the project's main theme.
ORG_WEIGHTS = {
    "border-management": {"bp": 5, "moi": 2, "academy": 1, "ilecu": 0.5},
    "police-cooperation": {"police": 4, "ilecu": 2, "moi": 2, "academy": 1},
    "migration-management": {"migration": 4, "moi": 3, "research": 1},
    "asylum-protection": {"migration": 4, "moi": 2, "ngo": 1},
    "return-reintegration": {"migration": 3, "moi": 2, "labour": 1, "ngo": 1},
    "trafficking-smuggling": {"police": 3, "ngo": 2, "moi": 1, "research": 1},
    "integration": {"labour": 2, "migration": 2, "ngo": 2, "research": 1},
    "labour-mobility": {"labour": 4, "employment": 3, "migration": 1},
}

ACRONYM_STEMS = (
    "SAFE", "LINK", "BRIDGE", "TRUST", "PATH", "GATE", "NEXUS", "SHIELD", "COMPASS", "HORIZON",
    "ANCHOR", "BEACON", "PRISM", "VECTOR", "ATLAS", "MOSAIC", "SKILLS", "ROUTES", "PROTECT",
    "BORDERLINE", "MOBILE", "RETURN", "WELCOME", "SENTINEL", "KEYSTONE", "PILOT", "EQUAL",
)  # fmt: skip
REGION_TAGS = {
    "the Western Balkans": "WB",
    "the Eastern Partnership": "EaP",
    "Türkiye": "TR",
    "the Silk Route countries": "SR",
    "the Southern Neighbourhood": "MED",
    "West and East Africa": "AFR",
}


def synthetic_reference(seed: int, index: int) -> str:
    return f"SYN-{seed}-{index:06d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)


def _split(total: int, weights: list[float]) -> list[int]:
    """Whole cents in proportion to the weights; the last share takes the rounding remainder."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def _weighted_sample(rng: random.Random, items, weights, k: int) -> list:
    items, weights = list(items), list(weights)
    chosen = []
    while items and len(chosen) < k:
        i = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(i))
        weights.pop(i)
    return chosen


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class _Spec:
    """One synthetic project before it is written, so the whole batch can be inserted at once."""

    reference: str
    title: str
    acronym: str
    summary: str
    objective: str
    start: datetime.date
    end: datetime.date
    budget_cents: int
    visibility: str
    in_mpf: bool
    countries: list[str]
    themes: list[str]
    typologies: list[str]
    # (instrument code, EU cents, co-financing cents)
    funding: list[tuple[str, int, int]]
    # (organisation key, role); key is (name, acronym, type, country, website)
    participants: list[tuple[tuple, str]]
    components: list[tuple[str, str, str]] = field(default_factory=list)


def _country_org(code: str, kind: str) -> tuple:
    name, stem, type_ = ORG_TEMPLATES[kind]
    name = ORG_NAME_OVERRIDES.get((code, kind)) or name.format(c=COUNTRY_NAMES[code])
    return (name, f"{stem} {code}" if stem else "", type_, code, "")


def _instruments_for(rng, primary_theme, region_name, start, count) -> list[str]:
    """The fund that matches the main theme first, then others that plausibly co-fund it."""
    borders = "BMVI" if start.year >= 2021 else "ISF-BV"
    by_theme = {
        "border-management": [borders, "ISF-P"],
        "police-cooperation": ["ISF-P", borders],
        "trafficking-smuggling": ["ISF-P", "AMIF"],
    }
    primary, *extra = by_theme.get(primary_theme, ["AMIF"])
    if region_name in ("the Western Balkans", "Türkiye"):
        extra.append("IPA")
    else:
        extra.append("NDICI" if start.year >= 2021 else "Other")
    if "Other" not in extra:
        extra.append("Other")
    rng.shuffle(extra)
    return [primary, *extra][: max(1, count)]


# Names that read better with an article in running text.
_ARTICLE_PREFIXES = (
    "Ministry", "National", "Migration", "Public", "Anti-", "International", "Border", "State",
    "Federal", "Commissariat", "Agency", "Immigration", "European", "United Nations",
)  # fmt: skip


def _the(name: str) -> str:
    return f"the {name}" if name.startswith(_ARTICLE_PREFIXES) else name


def _make_spec(rng: random.Random, seed: int, index: int) -> _Spec:
    """Everything about one project, drawn from ``rng`` alone so the same seed gives the same."""
    # Geography
    region_name, region_codes, _w, eu_partners = rng.choices(PARTNER_REGIONS, REGION_WEIGHTS)[0]
    n_countries = rng.choices((1, 2, 3, 4, 5, 6), (14, 30, 24, 16, 9, 7))[0]
    n_eu = 0 if n_countries == 1 else min(n_countries - 1, rng.choice((1, 1, 1, 2)))
    partners = rng.sample(region_codes, min(n_countries - n_eu, len(region_codes)))
    n_eu = min(n_countries - len(partners), len(eu_partners))
    eu = rng.sample(eu_partners, n_eu)
    countries = partners + eu
    if len(partners) == 1 and len(eu) == 1:
        where = f"between {COUNTRY_NAMES[eu[0]]} and {COUNTRY_NAMES[partners[0]]}"
    elif len(partners) == 1:
        where = f"in {COUNTRY_NAMES[partners[0]]}"
    elif len(partners) == len(region_codes) or rng.random() < 0.5:
        where = f"in {region_name}"
    else:
        where = "in " + _join([COUNTRY_NAMES[c] for c in partners])
    if len(partners) > 1 and where == f"in {region_name}":
        place = region_name
    else:
        place = _join([COUNTRY_NAMES[c] for c in partners])

    # Themes and approach
    primary = rng.choices(THEME_CODES, THEME_WEIGHTS)[0]
    n_themes = rng.choices((1, 2, 3), (45, 40, 15))[0]
    themes = [primary, *rng.sample(RELATED_THEMES[primary], min(n_themes - 1, 2))]
    n_typ = 1 if rng.random() < 0.7 else 2
    typologies = _weighted_sample(rng, TYPOLOGY_CODES, TYPOLOGY_WEIGHTS[primary], n_typ)

    # Title and acronym
    title = rng.choice(TITLES[primary]).format(where=where) + rng.choice(TITLE_SUFFIXES)
    acronym = rng.choice(ACRONYM_STEMS)
    if rng.random() < 0.6:
        acronym += "-" + REGION_TAGS[region_name]
    if title.endswith("phase II"):
        acronym += " II"
    elif title.endswith("phase III"):
        acronym += " III"

    # Period: whole months inside 2015–2029
    months = rng.randint(12, 48)
    month0 = rng.randint(0, 15 * 12 - 1 - months)
    day = 1 if rng.random() < 0.75 else rng.randint(2, 28)
    start = D(2015 + month0 // 12, month0 % 12 + 1, day)
    end = _add_months(start, months) - datetime.timedelta(days=1)

    # Money, in whole cents so the lines add up exactly
    cents = round(math.exp(rng.uniform(math.log(8_000_000), math.log(600_000_000))))
    if rng.random() < 0.5:
        cents -= cents % 100
    cents = max(8_000_000, min(600_000_000, cents))
    n_lines = rng.choices((1, 2, 3, 4), (60, 25, 10, 5))[0]
    instruments = _instruments_for(rng, primary, region_name, start, n_lines)
    eu_cents = round(cents * rng.uniform(0.80, 0.90))
    weights = [rng.uniform(1, 4) for _ in instruments]
    weights[0] += 4
    funding = list(
        zip(
            instruments,
            _split(eu_cents, weights),
            _split(cents - eu_cents, weights),
            strict=True,
        )
    )

    # Organisations: a government body or an international organisation leads; each country
    # sends at least one institution while there is room.
    template_weights = ORG_WEIGHTS[primary]
    kinds, kind_weights = list(template_weights), list(template_weights.values())
    lead_weights = [0 if k in ("ngo", "research") else w for k, w in template_weights.items()]
    roll = rng.random()
    if roll < 0.6 and eu:
        lead = _country_org(eu[0], rng.choices(kinds, lead_weights)[0])
    elif roll < 0.85:
        lead = rng.choices(INTERNATIONAL_ORGS, INTERNATIONAL_WEIGHTS)[0][:5]
    else:
        lead = _country_org(partners[0], rng.choices(kinds, lead_weights)[0])
    participants = [(lead, PR.LEAD)]
    seen = {lead[0]}
    n_partners = min(5, max(1, len(countries) - 1 + rng.randint(0, 2)))
    order = [c for c in countries if c != lead[3]]
    rng.shuffle(order)
    for attempt in range(n_partners * 4):  # spare draws: an institution may come up twice
        if len(participants) > n_partners:
            break
        code = order[attempt] if attempt < len(order) else rng.choice(countries)
        org = _country_org(code, rng.choices(kinds, kind_weights)[0])
        if org[0] in seen:
            continue
        seen.add(org[0])
        roll = rng.random()
        if code in partners and roll < 0.3:
            role = PR.BENEFICIARY
        elif roll > 0.92:
            role = PR.ASSOCIATED
        else:
            role = PR.PARTNER
        participants.append((org, role))
    while len(participants) < 2:  # a single-country project can run out of distinct bodies
        org = rng.choices(INTERNATIONAL_ORGS, INTERNATIONAL_WEIGHTS)[0][:5]
        if org[0] not in seen:
            seen.add(org[0])
            participants.append((org, PR.PARTNER))

    # Components and texts
    pool = list(COMPONENTS[primary]) + list(GENERIC_COMPONENTS)
    components = rng.sample(pool, rng.randint(1, 3))
    names = [_the(org[0]) for org, _role in participants[1:]]
    lead_name = _the(lead[0])
    summary = (
        f"{lead_name[0].upper()}{lead_name[1:]} leads this project on "
        f"{THEME_PHRASES[primary]} {where}, working with {_join(names)}. The work covers "
        + _join([c[0][0].lower() + c[0][1:] for c in components])
        + "."
    )
    objective = OBJECTIVES[primary].format(place=place)

    return _Spec(
        reference=synthetic_reference(seed, index),
        title=title,
        acronym=acronym,
        summary=summary,
        objective=objective,
        start=start,
        end=end,
        budget_cents=cents,
        visibility=Visibility.DRAFT if rng.random() < 0.1 else Visibility.PUBLIC,
        in_mpf=rng.random() < 0.7,
        countries=countries,
        themes=themes,
        typologies=typologies,
        funding=funding,
        participants=participants,
        components=components,
    )


def synthetic_specs(n: int, seed: int) -> list[_Spec]:
    """The first ``n`` projects of a seed; a larger ``n`` extends the list, never reshuffles it."""
    rng = random.Random(seed)
    return [_make_spec(rng, seed, index) for index in range(1, n + 1)]


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def _ensure_pool_organisations(keys: Iterable[tuple], countries: dict[str, int]) -> dict:
    """Map each synthetic organisation to a row, creating only the ones not there yet."""
    keys = list(dict.fromkeys(keys))
    names = list({k[0] for k in keys})
    existing = {}
    for i in range(0, len(names), 500):
        for pk, name, country_id in Organisation.objects.filter(
            name__in=names[i : i + 500]
        ).values_list("pk", "name", "country_id"):
            existing.setdefault((name, country_id), pk)
    missing = [k for k in keys if (k[0], countries.get(k[3])) not in existing]
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=name,
                acronym=acronym,
                type=type_,
                country_id=countries.get(code),
                website=website,
            )
            for name, acronym, type_, code, website in missing
        ],
        batch_size=500,
    )
    if missing:
        missing_names = list({k[0] for k in missing})
        for i in range(0, len(missing_names), 500):
            for pk, name, country_id in Organisation.objects.filter(
                name__in=missing_names[i : i + 500]
            ).values_list("pk", "name", "country_id"):
                existing.setdefault((name, country_id), pk)
    return {k: existing[(k[0], countries.get(k[3]))] for k in keys}


BATCH = 1000


@transaction.atomic
def add_synthetic_projects(n: int, seed: int) -> int:
    """Add ``n`` generated projects for ``seed`` and return how many were new.

    Rows go in with ``bulk_create``: ten thousand projects one by one would take minutes. That
    skips the m2m signal, so ``typology_count`` is filled in here. References already present
    (an earlier run with the same seed) are skipped, which makes reruns harmless.
    """
    if n <= 0:
        return 0
    specs = synthetic_specs(n, seed)
    prefix = synthetic_reference(seed, 0)[:-6]
    taken = set(
        Project.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    specs = [s for s in specs if s.reference not in taken]
    if not specs:
        return 0

    countries = _country_ids()
    themes = dict(Theme.objects.values_list("code", "id"))
    typologies = dict(Typology.objects.values_list("code", "id"))
    instruments = dict(Instrument.objects.values_list("code", "id"))
    orgs = _ensure_pool_organisations(
        (org for s in specs for org, _role in s.participants), countries
    )
    mpf = _mpf_facility(countries)

    projects = [
        Project(
            facility=mpf if s.in_mpf else None,
            title=s.title,
            acronym=s.acronym,
            reference=s.reference,
            summary=s.summary,
            objective=s.objective,
            start=s.start,
            end=s.end,
            visibility=s.visibility,
            total_budget=_cents(s.budget_cents),
            typology_count=len(s.typologies),
        )
        for s in specs
    ]
    Project.objects.bulk_create(projects, batch_size=BATCH)
    if any(p.pk is None for p in projects):  # databases that do not return new keys
        ids = dict(
            Project.objects.filter(reference__in=[s.reference for s in specs]).values_list(
                "reference", "pk"
            )
        )
        for p in projects:
            p.pk = ids[p.reference]

    country_rows, theme_rows, typology_rows = [], [], []
    lines, participations, components = [], [], []
    CountryLink = Project.countries.through
    ThemeLink = Project.themes.through
    TypologyLink = Project.typologies.through
    for p, s in zip(projects, specs, strict=True):
        country_rows += [CountryLink(project_id=p.pk, country_id=countries[c]) for c in s.countries]
        theme_rows += [ThemeLink(project_id=p.pk, theme_id=themes[t]) for t in s.themes]
        typology_rows += [
            TypologyLink(project_id=p.pk, typology_id=typologies[t]) for t in s.typologies
        ]
        lines += [
            FundingLine(
                project_id=p.pk,
                instrument_id=instruments[code],
                eu_contribution=_cents(eu),
                co_financing=_cents(co),
            )
            for code, eu, co in s.funding
        ]
        participations += [
            Participation(project_id=p.pk, organisation_id=orgs[org], role=role)
            for org, role in s.participants
        ]
        components += [
            Component(project_id=p.pk, order=i, title=t, description=d, expected_results=r)
            for i, (t, d, r) in enumerate(s.components, start=1)
        ]
    for model, rows in (
        (CountryLink, country_rows),
        (ThemeLink, theme_rows),
        (TypologyLink, typology_rows),
        (FundingLine, lines),
        (Participation, participations),
        (Component, components),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)
    return len(projects)


def _mpf_facility(countries: dict[str, int]) -> Facility:
    """The facility synthetic projects belong to, created with its manager if the seed is absent."""
    spec = FACILITIES["mpf"]
    facility = Facility.objects.filter(acronym=spec.acronym).first()
    if facility is not None:
        return facility
    icmpd = ORGANISATIONS["icmpd"]
    manager = Organisation.objects.filter(
        name=icmpd.name, country_id=countries.get(icmpd.country)
    ).first() or Organisation.objects.create(
        name=icmpd.name,
        acronym=icmpd.acronym,
        type=icmpd.type,
        country_id=countries.get(icmpd.country),
        website=icmpd.website,
    )
    return Facility.objects.create(
        name=spec.name,
        acronym=spec.acronym,
        managed_by=manager,
        website=spec.website,
        description=spec.description,
    )
