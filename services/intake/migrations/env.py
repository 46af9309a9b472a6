from services.intake.models import Base
from shared.db import MessagingBase
from shared.migrations import run_env

run_env([Base.metadata, MessagingBase.metadata])
