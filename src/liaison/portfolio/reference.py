"""The fixed lists of the portfolio: funding instruments, themes and partnership typologies."""

INSTRUMENTS = [
    ("AMIF", "Asylum, Migration and Integration Fund"),
    ("ISF-P", "Internal Security Fund – Police"),
    ("ISF-BV", "Internal Security Fund – Borders and Visa"),
    ("BMVI", "Border Management and Visa Instrument"),
    ("Interreg", "Interreg (European territorial cooperation)"),
    ("IPA", "Instrument for Pre-accession Assistance"),
    ("NDICI", "Neighbourhood, Development and International Cooperation Instrument"),
    ("Other", "Other funding"),
]

THEMES = [
    ("border-management", "Border management"),
    ("police-cooperation", "Police cooperation"),
    ("migration-management", "Migration management"),
    ("asylum-protection", "Asylum and protection"),
    ("return-reintegration", "Return and reintegration"),
    ("trafficking-smuggling", "Trafficking and smuggling"),
    ("integration", "Integration"),
    ("labour-mobility", "Labour mobility"),
]

TYPOLOGIES = [
    ("operational", "Operational"),
    ("policy-dialogue", "Policy and dialogue"),
    ("capacity", "Capacity"),
    ("action-research", "Action research"),
    ("skills-mobility", "Skills and labour mobility"),
]


def load_reference(instrument_model, theme_model, typology_model):
    for order, (code, name) in enumerate(INSTRUMENTS):
        instrument_model.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for code, name in THEMES:
        theme_model.objects.update_or_create(code=code, defaults={"name": name})
    for code, name in TYPOLOGIES:
        typology_model.objects.update_or_create(code=code, defaults={"name": name})
