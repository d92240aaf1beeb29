"""gongkai: Chinese government information disclosure reports and guides.

The pipeline, one module (or subpackage) a stage, data flowing one way:
load -> validate -> model -> render -> site -> package. The importer is its
own stage and writes YAML only.
"""

__version__ = "0.1.0"
