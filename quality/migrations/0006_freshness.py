"""栏目更新监测's table of warnings sent (quality/freshness_models.py) and the permission to read
the report, given to 内容安全管理 and 审核 (quality/safety_roles.py)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from quality.safety_roles import grant_in_migration


class Migration(migrations.Migration):

    dependencies = [
        ('quality', '0005_publishing_stats'),
        ('news', '0022_column_update_class'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FreshnessWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='日期')),
                ('state', models.CharField(max_length=20, verbose_name='状况')),
                ('days_left', models.IntegerField(blank=True, null=True, verbose_name='剩余天数')),
                ('recipients', models.TextField(blank=True, verbose_name='收件人')),
                ('claimed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='生成时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='栏目或首页')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site', verbose_name='站点')),
            ],
            options={
                'verbose_name': '栏目更新预警',
                'verbose_name_plural': '栏目更新预警',
                'permissions': [('view_freshness_report', '可以查看栏目更新监测')],
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('page', 'day'), name='quality_freshness_once_a_day')],
            },
        ),
        migrations.RunPython(grant_in_migration, migrations.RunPython.noop),
    ]
