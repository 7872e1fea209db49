"""Pure rules: user-agent classes and the CSP's image origins."""

from __future__ import annotations

import pytest

from petshots_passport.lib.user_agents import classify
from petshots_passport.settings import PassportSettings

PREVIEWS = [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Slack-ImgProxy (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0 A",
    "Twitterbot/1.0",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    # iMessage's preview fetcher
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) "
    "Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
]


@pytest.mark.parametrize("ua", PREVIEWS)
def test_link_preview_bots_are_recognised(ua: str) -> None:
    assert classify(ua) == ("link_preview", "bot")


@pytest.mark.parametrize(
    ("ua", "expected"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            ("browser", "mobile"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Mobile Safari/537.36",
            ("browser", "mobile"),
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            ("browser", "tablet"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36",
            ("browser", "tablet"),
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
            ("browser", "desktop"),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            ("browser", "desktop"),
        ),
        (
            "Mozilla/5.0 (Linux; Android 12; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36",
            ("browser", "mobile"),
        ),
        ("curl/8.5.0", ("other", "unknown")),
        ("python-httpx/0.28.1", ("other", "unknown")),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            ("other", "unknown"),
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/124.0.0.0 Safari/537.36",
            ("other", "desktop"),
        ),
        ("", ("other", "unknown")),
        (None, ("other", "unknown")),
    ],
)
def test_browsers_and_other_clients(ua: str | None, expected: tuple[str, str]) -> None:
    assert classify(ua) == expected


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_csp_image_origins_cover_what_storage_signs_on_aws(region: str) -> None:
    from urllib.parse import urlsplit

    from petshots_core.storage import Storage
    from petshots_passport.app import image_origins

    settings = PassportSettings(
        s3_region=region,
        s3_access_key_id="AKIAEXAMPLE",
        s3_secret_access_key="secret",
        uploads_bucket="petshots-uploads",
    )
    url = Storage(settings).download_url(
        "users/x/photos/y", filename="p", content_type="image/png", expires_in=60
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" in image_origins(settings).split()


def test_csp_image_origin_is_the_public_storage_endpoint() -> None:
    from petshots_passport.app import image_origins

    settings = PassportSettings(
        s3_endpoint_url="http://minio:9000", s3_public_endpoint_url="https://files.example.com/"
    )
    assert image_origins(settings) == "https://files.example.com"
