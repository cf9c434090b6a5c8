"""A year of requests at chosen times, for the statistics, the case file and the API.

2025 (Brussels clock):
  R1  MD → GE and RS, urgent (3 days), sent 3 February 10:00 UTC: Georgia answers after 24 hours
      (on time), Serbia refuses after 96 hours, the information not being available (late).
  R2  GE → MD, not urgent (7 days), sent 10 May: Moldova answers after 48 hours (on time).
  R3  MD → GE, not urgent, sent 1 November: still open on 1 December (overdue).
and a request of 2024 (MD → RS) and a draft, which 2025's figures leave out.
Medians: the year 48 hours (24, 48, 96), the first quarter 60 hours (24, 96).
"""

import datetime

from liaison.exchange import services
from liaison.exchange.models import HandlingCode, Urgency

UTC = datetime.UTC
NOW = datetime.datetime(2025, 12, 1, 12, tzinfo=UTC)
SUBJECT = "Lorry route through Giurgiulesti port"
NARRATIVE = "The driver Vasile Munteanu crosses every Tuesday night."


def at(month, day, hour=10, year=2025):
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def _request(officer, sender, recipients, urgency, sent_at, subject=SUBJECT):
    values = {
        "subject": subject,
        "kind": "information",
        "crime_area": "smuggling",
        "urgency": urgency,
        "narrative": NARRATIVE,
        "handling_code": HandlingCode.H2,
        "source_evaluation": "B",
        "information_evaluation": "2",
    }
    request = services.draft(officer, sender, values, recipients, now=sent_at)
    return services.send(officer, request, now=sent_at)


def build(units, people):
    md, ge, rs = units["MD"], units["GE"], units["RS"]
    r1 = _request(people["md_officer"], md, [ge, rs], Urgency.URGENT, at(2, 3))
    services.reply(
        people["ge_officer"], r1.cases.get(unit=ge), "Records attached.", {}, now=at(2, 4)
    )
    services.refuse(
        people["rs_officer"], r1.cases.get(unit=rs), "not_available", "No records.", now=at(2, 7)
    )
    r2 = _request(people["ge_officer"], ge, [md], Urgency.NORMAL, at(5, 10, 8))
    services.reply(people["md_officer"], r2.cases.get(), "Known to us.", {}, now=at(5, 12, 8))
    r3 = _request(people["md_officer"], md, [ge], Urgency.NORMAL, at(11, 1))
    old = _request(people["md_officer"], md, [rs], Urgency.NORMAL, at(6, 1, year=2024))
    draft = services.draft(
        people["md_officer"],
        md,
        {"subject": SUBJECT, "kind": "information", "crime_area": "drugs"},
        [ge],
        now=at(3, 1),
    )
    return {"r1": r1, "r2": r2, "r3": r3, "old": old, "draft": draft}
