"""Packaging for the cielo24 Python SDK."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'__version__ = "([^"]+)"', (HERE / "cielo24" / "_version.py").read_text()
).group(1)

setup(
    name="cielo24",
    version=VERSION,
    description="Python SDK for the cielo24 transcription and captioning API",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["cielo24", "cielo24.*"]),
    package_data={"cielo24": ["py.typed"]},
    install_requires=(HERE / "requirements.txt").read_text().split(),
    entry_points={"console_scripts": ["cielo24 = cielo24.cli:main"]},
    keywords=["cielo24", "transcription", "captions", "subtitles", "api", "sdk"],
    classifiers=[
        "Development Status :: 4 - Beta",
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Topic :: Multimedia :: Sound/Audio :: Speech",
        "Topic :: Software Development :: Libraries :: Python Modules",
        "Typing :: Typed",
    ],
)
