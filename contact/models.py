"""The organisation's contact details (联系我们), edited by staff with drafts and revisions, and the contact page."""

import logging

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index

from contact.forms import ContactDetailsForm
from contact.validators import (
    half_width,
    phone_validator,
    postcode_validator,
    site_code_validator,
    tel_uri,
)
from core.admin_forms import SafePageForm
from core.publishing import AtomicPublishMixin
from core.restrictions import CachedViewRestrictionsMixin

logger = logging.getLogger(__name__)


def drawn(image, spec):
    """The rendition of a picture the footer's cards show, or None without one. The cards are
    on every page: a picture whose file is missing (a restore without the media folder) is left
    out, not every page turned into an error."""
    if image is None:
        return None
    try:
        return image.get_rendition(spec)
    except OSError:  # Wagtail's SourceImageIOError among them
        logger.exception("The picture %s could not be drawn", image.pk)
        return None


class ContactDetails(
    AtomicPublishMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One site's contact block: shown in the footer of every page and on the contact page."""

    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name="站点",
        on_delete=models.CASCADE,
        related_name="contact_details",
    )
    name = models.CharField("单位名称", max_length=120)
    address = models.CharField("地址", max_length=255)
    postcode = models.CharField("邮编", max_length=6, validators=[postcode_validator])
    office_hours = models.CharField(
        "办公时间", max_length=255, blank=True, help_text="例如：周一至周五 8:30–12:00,14:30–17:30"
    )
    # What the 联系我们 page gives beyond the footer: how to find the office, and where to write.
    directions = models.TextField(
        "乘车路线",
        blank=True,
        help_text="如何到达，每种方式一行，例如：乘坐 12 路公交车到溪山路站下车，向东步行 200 米",
    )
    map_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="位置图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="标出单位位置的地图图片，显示在“联系我们”页面",
    )
    message_url = models.URLField(
        "在线留言链接",
        blank=True,
        help_text="群众留言、咨询的网页地址；填写后“联系我们”页面显示“我要留言”",
    )

    base_form_class = ContactDetailsForm

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("postcode"),
        InlinePanel("phones", heading="电话", label="电话", min_num=1),
        InlinePanel("emails", heading="邮箱", label="邮箱"),
        FieldPanel("office_hours"),
        FieldPanel("directions"),
        FieldPanel("map_image"),
        FieldPanel("message_url"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("address")]

    class Meta:
        verbose_name = "联系方式"
        verbose_name_plural = "联系方式"

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # Before the validators, so that what an input method types is checked as stored.
        self.postcode = half_width(self.postcode)
        super().clean_fields(exclude)

    def number_rows(self):
        """Phones and e-mails made in code rather than in the form get a place: after the rows
        that have one, in the order they were added. A row with no place would jump about when
        staff next edit the record."""
        for rows in (self.phones.all(), self.emails.all()):
            placed = [row.sort_order for row in rows if row.sort_order is not None]
            next_place = max(placed, default=-1) + 1
            for row in rows:
                if row.sort_order is None:
                    row.sort_order = next_place
                    next_place += 1

    def save(self, *args, **kwargs):
        self.number_rows()
        super().save(*args, **kwargs)

    def serializable_data(self):
        # What a revision stores, so a version restored later keeps its order too.
        self.number_rows()
        return super().serializable_data()

    def with_content_json(self, content):
        """A stored version as a record. A phone or e-mail deleted since that version still has
        its old id in it, which the form would refuse (a hidden field's "not a valid choice");
        such rows come back as new rows, so an old version can always be restored."""
        restored = super().with_content_json(content)
        for relation in ("phones", "emails"):
            rows = list(getattr(restored, relation).all())
            model = getattr(type(self), relation).rel.related_model
            still_there = set(
                model.objects.filter(pk__in=[row.pk for row in rows if row.pk]).values_list(
                    "pk", flat=True
                )
            )
            for row in rows:
                if row.pk not in still_there:
                    row.pk = None
        return restored

    def get_preview_template(self, request, mode_name):
        return "contact/contact_details_preview.html"

    def get_preview_context(self, request, mode_name):
        return {"contact": self.as_card(), "request": request}

    def as_card(self):
        """What templates need, as plain data so it can be cached: no queries when rendering."""
        return {
            "name": self.name,
            "address": self.address,
            "postcode": self.postcode,
            "office_hours": self.office_hours,
            "directions": [line.strip() for line in self.directions.splitlines() if line.strip()],
            "map": self.map_card(),
            "message_url": self.message_url,
            "phones": [
                {"label": phone.label, "number": phone.number, "tel": tel_uri(phone.number)}
                for phone in self.phones.all()
            ],
            "emails": [
                {"label": email.label, "address": email.address} for email in self.emails.all()
            ],
        }

    def map_card(self):
        rendition = drawn(self.map_image, "max-960x720")
        if rendition is None:
            return None
        return {
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": f"{self.name}位置图",
        }


class ContactPhone(Orderable):
    contact = ParentalKey(ContactDetails, on_delete=models.CASCADE, related_name="phones")
    label = models.CharField("说明", max_length=40, blank=True, help_text="例如：办公室、传真")
    number = models.CharField("电话号码", max_length=40, validators=[phone_validator])

    panels = [FieldPanel("label"), FieldPanel("number")]

    class Meta(Orderable.Meta):
        verbose_name = "电话"

    def clean_fields(self, exclude=None):
        # Before the validators: a full-width hyphen (－) or a dash is a hyphen.
        self.number = half_width(self.number)
        super().clean_fields(exclude)


class ContactEmail(Orderable):
    contact = ParentalKey(ContactDetails, on_delete=models.CASCADE, related_name="emails")
    label = models.CharField("说明", max_length=40, blank=True)
    address = models.EmailField("邮箱地址")

    panels = [FieldPanel("label"), FieldPanel("address")]

    class Meta(Orderable.Meta):
        verbose_name = "邮箱"


class ContactPage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """联系我们: the live contact details in full, with an optional introduction."""

    base_form_class = SafePageForm

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["news.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "联系我们页面"


@register_setting(icon="doc-full")
class FooterSettings(BaseSiteSetting):
    """页脚信息: the filing numbers and copyright line every Chinese public site shows."""

    copyright = models.CharField(
        "版权信息",
        max_length=200,
        blank=True,
        help_text="例如：版权所有 © 青溪市社会组织党建服务中心",
    )
    icp_number = models.CharField(
        "ICP 备案号", max_length=60, blank=True, help_text="例如：闽ICP备12345678号-1"
    )
    police_number = models.CharField(
        "公安备案号", max_length=60, blank=True, help_text="例如：闽公网安备 35020302000001号"
    )
    police_record_code = models.CharField(
        "公安备案编码",
        max_length=30,
        blank=True,
        help_text="公安备案号中的数字，用于链接到全国互联网安全管理服务平台",
    )

    site_code = models.CharField(
        "网站标识码",
        max_length=10,
        blank=True,
        validators=[site_code_validator],
        help_text="政府网站和党政机关网站的10位标识码，显示在页脚",
    )
    conac_badge = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="党政机关网站标识",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="开办单位取得的“党政机关”标识图片，显示在页脚正中",
    )
    conac_url = models.URLField(
        "党政机关网站标识链接",
        blank=True,
        help_text="点击标识打开的认证页面，例如 https://bszs.conac.cn/sitename?method=show&id=…",
    )

    panels = [
        FieldPanel("copyright"),
        FieldPanel("icp_number"),
        FieldPanel("police_number"),
        FieldPanel("police_record_code"),
        FieldPanel("site_code"),
        FieldPanel("conac_badge"),
        FieldPanel("conac_url"),
    ]

    class Meta:
        verbose_name = "页脚信息"

    def as_card(self):
        return {
            "copyright": self.copyright,
            "icp_number": self.icp_number,
            "police_number": self.police_number,
            "police_url": (
                f"https://beian.mps.gov.cn/#/query/webSearch?code={self.police_record_code}"
                if self.police_record_code
                else ""
            ),
            "site_code": self.site_code,
            "conac_badge": self.badge_card(),
            "conac_url": self.conac_url,
        }

    def clean(self):
        super().clean()
        self.site_code = half_width(self.site_code)

    def badge_card(self):
        # The badge is small (about 110 × 55); a rendition keeps a large upload from being sent.
        rendition = drawn(self.conac_badge, "max-220x110")
        if rendition is None:
            return None
        width = min(rendition.width, 110)  # sharp on screens of twice the density
        return {
            "url": rendition.url,
            "width": width,
            "height": round(rendition.height * width / rendition.width),
        }
