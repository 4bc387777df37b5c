"""The record of 发布时间 changes and their reasons (quality/date_models.py), and the right of
内容安全管理 to read it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from quality.safety_roles import grant_in_migration


class Migration(migrations.Migration):

    dependencies = [
        ('quality', '0003_scan_findings'),
        ('wagtailadmin', '0001_create_admin_access_permissions'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='标题')),
                ('old', models.DateTimeField(null=True, verbose_name='原发布时间')),
                ('new', models.DateTimeField(verbose_name='新发布时间')),
                ('first_published_at', models.DateTimeField(verbose_name='首次发布')),
                ('origin', models.CharField(choices=[('edited', '编辑修改'), ('scheduled', '定时发布'), ('imported', '导入'), ('first', '首次发布')], max_length=16, verbose_name='来源')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('reason', models.TextField(blank=True, verbose_name='理由')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
                ('page', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                ('published_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
                ('reason_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='理由填写人')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site')),
            ],
            options={
                'verbose_name': '发布时间变更',
                'verbose_name_plural': '发布时间变更',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='DateReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(verbose_name='发布时间')),
                ('reason', models.TextField(verbose_name='理由')),
                ('given_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='填写时间')),
                ('given_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填写人')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.site')),
            ],
            options={
                'verbose_name': '改期理由',
                'verbose_name_plural': '改期理由',
                'indexes': [models.Index(fields=['page', 'published_at'], name='quality_dat_page_id_14ee13_idx')],
            },
        ),
        migrations.RunPython(grant_in_migration, migrations.RunPython.noop),
    ]
