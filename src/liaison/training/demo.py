"""Demo data of the training centre: the regional migration training centre with a curriculum
of ten modules in every accreditation state, trainers, focal points, a training plan and three
courses (one finished with certificates, one running, one open for nominations).

Titles and texts are the team's own. Everything is built through the same models and services
the pages use, and a rerun adds nothing twice.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.core.models import Role, User
from liaison.directory.models import Network, NetworkKind, Organisation, Person
from liaison.events.models import Sex
from liaison.portfolio.demo import DEMO_PASSWORD, SEED_PROJECTS, find_seed_project

from .models import (
    Accreditation,
    AssessmentMethod,
    Choice,
    CompetencyArea,
    Course,
    CourseSession,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    FocalPoint,
    Lesson,
    LessonPart,
    LevelFramework,
    Module,
    ModuleTranslation,
    ModuleVersion,
    PartKind,
    PlanTarget,
    Priority,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizKind,
    SessionAttendance,
    Trainer,
    TrainingCentre,
    TrainingNeed,
    TrainingPlan,
)

D = datetime.date
CENTRE_NAME = "Regional Migration Training Centre"

# (username, first, last, what they do) – all sign in with the demo password.
TRAINING_USERS = (
    ("centre", "Milica", "Centre", "runs the training centre: catalogue, courses, nominations"),
    ("focal", "Luka", "Focal", "national focal point: nominates officers of Montenegro's ministry"),
    ("trainer", "Ana", "Trainer", "trains the courses, takes attendance, scores practicals"),
    ("trainee", "Jovan", "Trainee", "a trainee with a running course, lessons and a certificate"),
)

AREAS = (
    "EU and international law",
    "Asylum and protection",
    "Vulnerability and human rights",
    "Document security",
    "Operational cooperation",
    "Data and analysis",
    "Languages and communication",
)

# code, title, area, hours, level, languages, modes, method, accreditation, body, dates
MODULES = (
    (
        "MIG-01",
        "The EU migration and asylum acquis",
        0,
        16,
        6,
        ["en", "sr", "sq"],
        ["classroom", "online_self_paced"],
        AssessmentMethod.QUIZ,
        Accreditation.ACCREDITED,
        (D(2025, 9, 1), D(2028, 8, 31)),
    ),
    (
        "MIG-02",
        "Asylum procedures and reception standards",
        1,
        24,
        6,
        ["en", "sr"],
        ["blended"],
        AssessmentMethod.QUIZ_AND_PRACTICAL,
        Accreditation.ACCREDITED,
        (D(2025, 9, 1), D(2028, 8, 31)),
    ),
    (
        "MIG-03",
        "Identifying and referring vulnerable persons",
        2,
        12,
        5,
        ["en", "sr", "mk"],
        ["online_self_paced", "blended"],
        AssessmentMethod.QUIZ,
        Accreditation.ACCREDITED,
        (D(2025, 11, 15), D(2028, 11, 14)),
    ),
    (
        "MIG-04",
        "Interviewing with interpreters",
        1,
        16,
        5,
        ["en", "bs"],
        ["classroom"],
        AssessmentMethod.PRACTICAL,
        Accreditation.SUBMITTED,
        None,
    ),
    (
        "MIG-05",
        "Document examination and identity fraud",
        3,
        20,
        5,
        ["en", "sr"],
        ["classroom"],
        AssessmentMethod.QUIZ_AND_PRACTICAL,
        Accreditation.ACCREDITED,
        (D(2023, 1, 10), D(2027, 1, 9)),
    ),
    (
        "MIG-06",
        "Return and readmission in practice",
        4,
        12,
        5,
        ["en"],
        ["online_live"],
        AssessmentMethod.QUIZ,
        Accreditation.SUBMITTED,
        None,
    ),
    (
        "MIG-07",
        "Countering migrant smuggling and trafficking",
        4,
        24,
        6,
        ["en", "sr", "sq"],
        ["blended"],
        AssessmentMethod.QUIZ,
        Accreditation.ACCREDITED,
        (D(2025, 6, 1), D(2028, 5, 31)),
    ),
    (
        "MIG-08",
        "Migration statistics and risk analysis",
        5,
        16,
        6,
        ["en"],
        ["online_self_paced"],
        AssessmentMethod.QUIZ,
        Accreditation.DRAFT,
        None,
    ),
    (
        "MIG-09",
        "Contingency planning for sudden migration flows",
        4,
        16,
        6,
        ["en", "sr"],
        ["classroom"],
        AssessmentMethod.PRACTICAL,
        Accreditation.ACCREDITED,
        (D(2021, 4, 1), D(2025, 3, 31)),
    ),
    (
        "MIG-10",
        "English for migration and border officials",
        6,
        60,
        4,
        ["en"],
        ["online_live", "classroom"],
        AssessmentMethod.QUIZ,
        Accreditation.ACCREDITED,
        (D(2025, 9, 1), D(2028, 8, 31)),
    ),
)

OUTCOMES = {
    "MIG-03": "Recognise the signs of vulnerability at first contact\n"
    "Apply the referral procedure to the right service\n"
    "Record what was observed without prejudging the case",
    "MIG-01": "Name the main EU instruments on asylum, return and borders\n"
    "Explain how a national law transposes a directive\n"
    "Find the applicable rule for a given case",
}

VULNERABILITY_PAGE = (
    "Vulnerability is not a label but a situation: a person may be vulnerable because of age, "
    "health, pregnancy, disability, trauma or dependence on someone who exploits them.\n\n"
    "At first contact the officer observes, asks open questions through a qualified "
    "interpreter, and writes down facts rather than conclusions.\n\n"
    "When there are signs of vulnerability, the officer refers the person to the competent "
    "service the same day and tells them, in a language they understand, what happens next."
)

# kind, text, points, choices as (text, correct) or accepted answers for a short answer
QUIZ = (
    (
        QuestionKind.SINGLE,
        "What should an officer write down at first contact?",
        1,
        [
            ("Observed facts and the person's own words", True),
            ("A conclusion on the asylum claim", False),
            ("The officer's impression of credibility", False),
        ],
    ),
    (
        QuestionKind.MULTIPLE,
        "Which of these can make a person vulnerable?",
        2,
        [
            ("Being an unaccompanied child", True),
            ("Serious illness", True),
            ("Travelling with a valid visa", False),
            ("Dependence on a smuggler", True),
        ],
    ),
    (
        QuestionKind.TRUE_FALSE,
        "A referral can wait until the asylum interview.",
        1,
        [("True", False), ("False", True)],
    ),
    (
        QuestionKind.SHORT,
        "Who should interpret the interview? (one word)",
        1,
        ["interpreter", "a qualified interpreter", "qualified interpreter"],
    ),
    (
        QuestionKind.SINGLE,
        "When should the referral be made?",
        1,
        [("The same day", True), ("Within a month", False), ("Only if the person asks", False)],
    ),
)

PRE_POST = (
    (
        QuestionKind.SINGLE,
        "Which instrument sets common standards for receiving asylum seekers?",
        1,
        [("The Reception Conditions Directive", True), ("The Schengen Borders Code", False)],
    ),
    (
        QuestionKind.TRUE_FALSE,
        "A directive applies directly without national law.",
        1,
        [("True", False), ("False", True)],
    ),
    (
        QuestionKind.SINGLE,
        "Which body can rule on how EU law is interpreted?",
        1,
        [("The Court of Justice of the EU", True), ("The European Parliament", False)],
    ),
)

TRAINEES = (
    ("me_moi", "Marko Vuković", Sex.MALE),
    ("me_moi", "Jelena Radović", Sex.FEMALE),
    ("mk_moi", "Elena Stojanovska", Sex.FEMALE),
    ("mk_moi", "Bojan Trajkovski", Sex.MALE),
    ("ba_mos", "Amra Hodžić", Sex.FEMALE),
    ("ba_mos", "Adnan Kovačević", Sex.MALE),
    ("rs_kirs", "Ivana Petrović", Sex.FEMALE),
    ("rs_kirs", "Nikola Jovanović", Sex.MALE),
)

INSTITUTIONS = {
    "me_moi": ("Ministry of Interior of Montenegro", "ME"),
    "mk_moi": ("Ministry of Interior of North Macedonia", "MK"),
    "ba_mos": ("Ministry of Security of Bosnia and Herzegovina", "BA"),
    "rs_kirs": ("Commissariat for Refugees and Migration of the Republic of Serbia", "RS"),
    "rs_rmtc": ("Regional Migration Training Centre Plandište", "RS"),
}


def sign_in_help() -> str:
    lines = ["Training centre demo accounts (same password):"]
    lines += [f"  {name:<12} {note}" for name, _first, _last, note in TRAINING_USERS]
    return "\n".join(lines)


def _user(username, first, last) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=Role.PUBLIC,
            email=f"{username}@example.org",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _institutions() -> dict[str, Organisation]:
    found = {}
    for key, (name, country) in INSTITUTIONS.items():
        organisation = Organisation.objects.filter(name=name, country__code=country).first()
        if organisation is not None:
            found[key] = organisation
    return found


def _person(name, organisation, user=None) -> Person:
    person = Person.objects.filter(name=name, organisation=organisation).first()
    if person is None:
        person = Person.objects.create(
            name=name,
            organisation=organisation,
            is_contact_point=False,
            user=user,
            email=f"{name.split()[0].lower()}@example.org",
        )
    return person


def _quiz(module, title, kind, questions, pass_mark=70, attempts=None) -> Quiz:
    quiz = Quiz.objects.create(
        module=module,
        title=title,
        kind=kind,
        pass_mark=pass_mark,
        max_attempts=attempts,
        randomise=kind == QuizKind.QUIZ,
    )
    for order, (qkind, text, points, choices) in enumerate(questions):
        question = Question.objects.create(
            quiz=quiz,
            order=order,
            kind=qkind,
            text=text,
            points=points,
            accepted_answers=choices if qkind == QuestionKind.SHORT else [],
        )
        if qkind != QuestionKind.SHORT:
            Choice.objects.bulk_create(
                Choice(question=question, order=n, text=label, is_correct=correct)
                for n, (label, correct) in enumerate(choices)
            )
    return quiz


def _submitted(quiz, user, course, percent, when) -> QuizAttempt:
    return QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        course=course,
        submitted=when,
        percent=Decimal(percent),
        score=Decimal(percent) / 10,
        max_score=Decimal(10),
        passed=percent >= quiz.pass_mark if quiz.kind == QuizKind.QUIZ else None,
    )


def _sessions(course, first_day, days, module, trainer):
    sessions = []
    for n in range(days):
        start = timezone.make_aware(
            datetime.datetime.combine(first_day + datetime.timedelta(days=n), datetime.time(9))
        )
        sessions.append(
            CourseSession.objects.create(
                course=course,
                title=f"Day {n + 1}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=6),
                module=module,
                trainer=trainer,
            )
        )
    return sessions


@transaction.atomic
def load_demo_training(seed: int = 1, *, today: datetime.date | None = None) -> int:
    """Build the training centre once; returns the number of modules created (0 on a rerun)."""
    if TrainingCentre.objects.filter(name=CENTRE_NAME).exists():
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    institutions = _institutions()
    owner = institutions.get("rs_rmtc") or institutions.get("rs_kirs")
    if owner is None:
        return 0
    network = Network.objects.filter(kind=NetworkKind.TRAINING_CENTRES).first()
    users = {name: _user(name, first, last) for name, first, last, _note in TRAINING_USERS}
    centre = TrainingCentre.objects.create(
        name=CENTRE_NAME,
        organisation=owner,
        network=network,
        description="An e-learning and classroom centre serving migration authorities of the "
        "Western Balkans, with a curriculum accredited against European standards.",
    )
    centre.staff.add(users["centre"])

    areas = [CompetencyArea.objects.get_or_create(name=name)[0] for name in AREAS]
    modules = {}
    for code, title, area, hours, level, languages, modes, method, status, dates in MODULES:
        module = Module.objects.create(
            centre=centre,
            code=code,
            title=title,
            summary=f"{title}: a module of the regional "
            "migration curriculum for officers of migration, asylum and border authorities.",
            languages=languages,
            level_framework=LevelFramework.EQF,
            level=level,
            duration_hours=Decimal(hours),
            delivery_modes=modes,
            assessment_method=method,
            accreditation=status,
            learning_outcomes=OUTCOMES.get(code, ""),
            entry_requirements="Officers in post with at least one year of service.",
            accrediting_body="National Qualifications Agency" if dates else "",
            accredited_on=dates[0] if dates else None,
            accreditation_expires_on=dates[1] if dates else None,
            submitted_on=D(2026, 5, 4) if status == Accreditation.SUBMITTED else None,
            shared_with_network=status == Accreditation.ACCREDITED,
            published=status != Accreditation.DRAFT,
        )
        module.competency_areas.add(areas[area])
        ModuleVersion.objects.create(
            module=module,
            version="1.0",
            changes="First version.",
            snapshot={"code": code, "title": title},
            created_by=users["centre"],
        )
        modules[code] = module
    ModuleTranslation.objects.create(
        module=modules["MIG-03"],
        language="sr",
        title="Prepoznavanje i upućivanje ranjivih lica",
        learning_outcomes="Prepoznati znakove ranjivosti pri prvom kontaktu\n"
        "Primeniti postupak upućivanja nadležnoj službi",
    )
    modules["MIG-01"].version = "1.1"
    modules["MIG-01"].save()
    ModuleVersion.objects.create(
        module=modules["MIG-01"],
        version="1.1",
        changes="Updated to the 2024 Pact on Migration and Asylum.",
        snapshot={"code": "MIG-01"},
        created_by=users["centre"],
    )

    # Content: a lesson of text, the SCORM self-check, and the graded quiz.
    graded = _quiz(
        modules["MIG-03"], "Vulnerable persons: final quiz", QuizKind.QUIZ, QUIZ, attempts=3
    )
    pre = _quiz(modules["MIG-01"], "EU acquis: pre-test", QuizKind.PRE_TEST, PRE_POST)
    post = _quiz(modules["MIG-01"], "EU acquis: post-test", QuizKind.POST_TEST, PRE_POST)
    lesson = Lesson.objects.create(
        module=modules["MIG-03"], order=1, title="Recognising vulnerability at first contact"
    )
    LessonPart.objects.create(
        lesson=lesson,
        order=1,
        kind=PartKind.PAGE,
        title="What makes a person vulnerable",
        body=VULNERABILITY_PAGE,
    )
    package = _demo_scorm(users["centre"], modules["MIG-03"])
    if package is not None:
        LessonPart.objects.create(
            lesson=lesson,
            order=2,
            kind=PartKind.SCORM,
            title="Self-check: first contact",
            scorm=package,
        )
    check = Lesson.objects.create(module=modules["MIG-03"], order=2, title="Check what you learnt")
    LessonPart.objects.create(
        lesson=check, order=1, kind=PartKind.QUIZ, title=graded.title, quiz=graded
    )

    # People: trainers (one trained by another on a training of trainers), focal points.
    trainer_people = [
        _person("Ana Trainer", owner, users["trainer"]),
        _person("Stefan Marković", owner),
        _person("Lejla Begović", institutions.get("ba_mos", owner)),
    ]
    trainers = [
        Trainer.objects.create(person=p, centre=centre, expertise=e)
        for p, e in zip(
            trainer_people,
            ["Asylum law and vulnerability", "Document security", "Interviewing and interpreting"],
            strict=True,
        )
    ]
    for trainer in trainers:
        trainer.modules.add(modules["MIG-03"], modules["MIG-01"])
    focal_org = institutions.get("me_moi", owner)
    FocalPoint.objects.create(
        centre=centre,
        organisation=focal_org,
        person=_person("Luka Focal", focal_org, users["focal"]),
    )
    for key in ("mk_moi", "ba_mos"):
        if key in institutions:
            FocalPoint.objects.create(
                centre=centre,
                organisation=institutions[key],
                person=_person(
                    f"Focal point {institutions[key].acronym or key}", institutions[key]
                ),
            )

    project = find_seed_project(SEED_PROJECTS["mirco"])
    plan = TrainingPlan.objects.create(
        centre=centre,
        title="Regional training plan 2026–2027",
        network=network,
        organisation=None if network else owner,
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 12, 31),
    )
    TrainingNeed.objects.create(
        plan=plan,
        priority=Priority.HIGH,
        competency_area=areas[2],
        description="Frontline officers miss signs of vulnerability.",
        source="Consultations with the partner institutions",
    )
    TrainingNeed.objects.create(
        plan=plan,
        priority=Priority.MEDIUM,
        competency_area=areas[6],
        description="Officers need working English for cross-border calls.",
    )

    # Course 1: finished, trainees certified. Course 2: running, the demo trainee on it.
    # Course 3: open for nominations.
    finished_start = today - datetime.timedelta(days=120)
    finished = Course.objects.create(
        centre=centre,
        code="MIG-03/01",
        title="Vulnerable persons – first cohort",
        type=CourseType.BLENDED,
        status=CourseStatus.RUNNING,
        starts_on=finished_start,
        ends_on=finished_start + datetime.timedelta(days=2),
        venue="Plandište",
        capacity=12,
        project=project,
        plan=plan,
        certificate_valid_years=3,
    )
    finished.modules.add(modules["MIG-03"], modules["MIG-01"])
    finished.trainers.add(trainers[0], trainers[1])
    running_start = today - datetime.timedelta(days=1)
    running = Course.objects.create(
        centre=centre,
        code="MIG-03/02",
        title="Vulnerable persons – second cohort",
        type=CourseType.BLENDED,
        status=CourseStatus.RUNNING,
        starts_on=running_start,
        ends_on=running_start + datetime.timedelta(days=14),
        venue="Plandište and online",
        capacity=12,
        project=project,
        plan=plan,
    )
    running.modules.add(modules["MIG-03"])
    running.trainers.add(trainers[0])
    upcoming_start = today + datetime.timedelta(days=45)
    upcoming = Course.objects.create(
        centre=centre,
        code="MIG-10/01",
        title="English for migration officials – online",
        type=CourseType.LANGUAGE,
        status=CourseStatus.NOMINATIONS,
        starts_on=upcoming_start,
        ends_on=upcoming_start + datetime.timedelta(days=60),
        online_url="https://meet.example.org/english",
        capacity=15,
        nominations_close=upcoming_start - datetime.timedelta(days=10),
        requires_quiz=False,
        project=project,
        plan=plan,
    )
    upcoming.modules.add(modules["MIG-10"])
    upcoming.trainers.add(trainers[2])
    for key, target in (("me_moi", 6), ("mk_moi", 6), ("ba_mos", 4)):
        if key in institutions:
            PlanTarget.objects.create(
                plan=plan, module=modules["MIG-03"], organisation=institutions[key], trainees=target
            )
            PlanTarget.objects.create(
                plan=plan,
                module=modules["MIG-10"],
                organisation=institutions[key],
                trainees=target // 2,
            )

    finished_sessions = _sessions(finished, finished_start, 3, modules["MIG-03"], trainers[0])
    _sessions(running, running_start, 4, modules["MIG-03"], trainers[0])
    trainee_person = _person("Jovan Trainee", institutions.get("rs_kirs", owner), users["trainee"])
    people = [(trainee_person, institutions.get("rs_kirs", owner), Sex.MALE)] + [
        (_person(name, institutions.get(key, owner)), institutions.get(key, owner), sex)
        for key, name, sex in TRAINEES
    ]
    when = timezone.make_aware(datetime.datetime.combine(finished_start, datetime.time(15)))
    for n, (person, organisation, sex) in enumerate(people):
        enrolment = Enrolment.objects.create(
            course=finished,
            person=person,
            organisation=organisation,
            sex=sex,
            status=EnrolmentStatus.APPROVED,
            nominated_by=users["focal"],
            decided_by=users["centre"],
        )
        absent = n in (3, 7)  # two trainees missed two days and do not complete
        for k, session in enumerate(finished_sessions):
            SessionAttendance.objects.create(
                session=session,
                enrolment=enrolment,
                present=not (absent and k > 0),
                recorded_by=users["trainer"],
            )
        user = person.user or _shadow_user(person)
        _submitted(pre, user, finished, rng.choice([33, 33, 67]), when)
        _submitted(post, user, finished, rng.choice([67, 100, 100]), when)
        _submitted(graded, user, finished, 50 if n == 5 else rng.choice([80, 90, 100]), when)
        if n == 5:  # failed once, passed on the second try
            _submitted(graded, user, finished, 80, when)
        if n % 2 == 0:
            Evaluation.objects.create(
                enrolment=enrolment,
                relevance=5,
                trainers=5,
                materials=4,
                organisation=4,
                overall=5,
                comment="More case studies from the region, please.",
            )
    _close(users["centre"], finished)

    # The running course: the demo trainee and three others approved, one nominee waiting,
    # one not accepted; attendance taken on the first day.
    first_day = running.sessions.order_by("starts_at").first()
    Enrolment.objects.create(
        course=running,
        person=trainee_person,
        organisation=trainee_person.organisation,
        sex=Sex.MALE,
        status=EnrolmentStatus.APPROVED,
        decided_by=users["centre"],
    )
    for key, name, sex in TRAINEES[:3]:
        person = _person(name, institutions.get(key, owner))
        enrolment = Enrolment.objects.create(
            course=running,
            person=person,
            organisation=person.organisation,
            sex=sex,
            status=EnrolmentStatus.APPROVED,
            nominated_by=users["focal"],
            decided_by=users["centre"],
        )
        SessionAttendance.objects.create(
            session=first_day, enrolment=enrolment, present=True, recorded_by=users["trainer"]
        )
    for (key, name, sex), status in zip(
        TRAINEES[3:5], [EnrolmentStatus.NOMINATED, EnrolmentStatus.REJECTED], strict=True
    ):
        person = _person(name, institutions.get(key, owner))
        Enrolment.objects.create(
            course=running,
            person=person,
            organisation=person.organisation,
            sex=sex,
            status=status,
            nominated_by=users["focal"],
            decision_note="The cohort is full; next course in spring."
            if status == EnrolmentStatus.REJECTED
            else "",
        )
    # The upcoming course: two officers nominated by the focal point, not yet decided.
    for key, name, sex in TRAINEES[:2]:
        person = _person(name, institutions.get(key, owner))
        Enrolment.objects.create(
            course=upcoming,
            person=person,
            organisation=person.organisation,
            sex=sex,
            status=EnrolmentStatus.NOMINATED,
            nominated_by=users["focal"],
            motivation="Handles daily contacts with neighbouring services.",
        )
    # Trainer pool history: the third trainer qualified on the first cohort's course.
    trainers[2].trained_in = finished
    trainers[2].save()
    return len(modules)


def _shadow_user(person) -> User:
    """Quiz attempts belong to accounts; demo trainees without one get a disabled account."""
    username = "demo-" + "".join(ch for ch in person.name.lower() if ch.isalnum())[:20]
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.PUBLIC, "is_active": False, "first_name": person.name.split()[0]},
    )
    if person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def _demo_scorm(user, module):
    from .demo_scorm import build_demo_package
    from .services.content import upload_package

    upload = SimpleUploadedFile(
        "first-contact.zip", build_demo_package(), content_type="application/zip"
    )
    return upload_package(user, module, upload, "Self-check: first contact")


def _close(user, course):
    from .services.certificates import close_course

    course.status = CourseStatus.FINISHED
    course.save(update_fields=["status"])
    # Closed on its last day, as the centre would have, so that results count it in the
    # reporting period it ran in.
    close_course(user, course, today=course.ends_on)
