"""The finished 征集 of the demo site (`make run`): its questions, answers made up from fixed
counts and its published results with 采纳情况, so the results chart can be seen at once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.keyed import keyed_hash
from interaction.surveys import SurveyAnswer, SurveyPage
from news.sitetree import add_published

DEMO_SLUG = "zhengji"
TOPIC = ("single", "您最希望党群服务中心增加哪方面的服务？")
TIMES = ("multiple", "您方便参加组织生活的时间有哪些？（可多选）")
ADVICE = ("text", "您对社会组织党建工作还有哪些意见建议？")
# How many readers chose each option, in the options' order.
TOPIC_COUNTS = {
    "政策解读与业务培训": 46,
    "志愿服务对接": 31,
    "党员学习活动": 27,
    "法律与财务咨询": 16,
}
TIMES_COUNTS = {"工作日晚上": 52, "周六上午": 61, "周日下午": 24, "工作日午休": 9}
ADVICE_TEXTS = [
    "希望多组织跨机构的交流活动。",
    "建议把学习资料做成适合手机阅读的版本。",
    "培训可以安排在周末，方便兼职人员参加。",
]


def question(block_id, kind_and_text, options=(), required=True):
    kind, text = kind_and_text
    return {
        "type": "question",
        "id": block_id,
        "value": {"kind": kind, "question": text, "options": list(options), "required": required},
    }


def demo_questions():
    return [
        question("demo-topic", TOPIC, TOPIC_COUNTS),
        question("demo-times", TIMES, TIMES_COUNTS),
        question("demo-advice", ADVICE, required=False),
    ]


def demo_answers():
    """The answers as readers would have sent them: each reader's choice of every question."""
    topics = [option for option, count in TOPIC_COUNTS.items() for _ in range(count)]
    times = [option for option, count in TIMES_COUNTS.items() for _ in range(count)]
    answers = [{"demo-topic": topic} for topic in topics]
    # Spread the chosen times over the readers, a reader choosing each time at most once.
    for number, time in enumerate(times):
        chosen = answers[(number * 7) % len(answers)].setdefault("demo-times", [])
        if time in chosen:
            chosen = next(a for a in answers if time not in a.setdefault("demo-times", []))[
                "demo-times"
            ]
        chosen.append(time)
    for number, text in enumerate(ADVICE_TEXTS):
        answers[number * 11]["demo-advice"] = text
    order = list(TIMES_COUNTS)
    for answer in answers:
        answer["demo-times"] = sorted(answer["demo-times"], key=order.index)
        if not answer["demo-times"]:
            del answer["demo-times"]
    return answers


@transaction.atomic
def ensure_demo_survey(site):
    """A 征集 that ended a month ago, its results published; None when the site has one."""
    home = site.root_page.specific
    if SurveyPage.objects.descendant_of(home).exists():
        return None
    now = timezone.now().replace(second=0, microsecond=0)
    survey = add_published(
        home,
        SurveyPage(
            title="社会组织党建服务需求征集",
            slug=DEMO_SLUG,
            intro="<p>为更好地服务社会组织党员，现就党群服务中心的服务内容和活动时间征求意见。</p>",
            starts_at=now - timedelta(days=60),
            ends_at=now - timedelta(days=30),
            questions=demo_questions(),
            results_published=True,
            adoption=(
                "<p>根据征集结果，党群服务中心自下月起：</p>"
                "<ol><li>每月举办一次政策解读与业务培训；</li>"
                "<li>主要活动安排在周六上午和工作日晚上；</li>"
                "<li>学习资料同步发布适合手机阅读的版本。</li></ol>"
            ),
        ),
    )
    answered = survey.starts_at
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            site=site,
            survey=survey,
            reader_key=keyed_hash("demo-survey", str(number)),
            answers=answers,
            created_at=answered + timedelta(minutes=97 * number),
        )
        for number, answers in enumerate(demo_answers())
    )
    return survey
