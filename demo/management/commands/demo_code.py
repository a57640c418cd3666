from django.core.management.base import BaseCommand

from demo.second_factor import DEMO_TOTP_SECRET, current_code


class Command(BaseCommand):
    help = "Skriver ut engangskoden (tofaktor) for demobrukerne med admin- eller ledertilgang."

    def handle(self, *args, **options):
        code, seconds = current_code()
        self.stdout.write(f"Engangskode: {code} (gyldig i {seconds} sekunder til)")
        self.stdout.write(f"Hemmelighet for en autentiseringsapp: {DEMO_TOTP_SECRET}")
